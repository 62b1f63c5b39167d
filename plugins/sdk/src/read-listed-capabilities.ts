import type { ModelCapabilities } from './model-info.js';
import { isRecord } from './is-record.js';

/**
 * What an OpenAI-style `/models` entry says its model can do, where the host says anything: OpenRouter's
 * `architecture.input_modalities` and `supported_parameters`, LM Studio's `type` and `capabilities`, and
 * a plain `capabilities` list or object (vLLM-style servers and gateways). Nothing said stays unknown,
 * so the catalogue, or the endpoint's declaration, still decides.
 */
export function readListedCapabilities(entry: Record<string, unknown>): ModelCapabilities | undefined {
  const found: ModelCapabilities = {};
  const names = new Set<string>();
  const collect = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') names.add(item.toLowerCase());
  };
  collect(entry['capabilities']);
  collect(entry['supported_parameters']);
  const architecture = entry['architecture'];
  if (isRecord(architecture)) {
    const inputs = architecture['input_modalities'];
    if (Array.isArray(inputs)) found.vision = inputs.includes('image');
  }
  if (isRecord(entry['capabilities'])) {
    for (const [name, value] of Object.entries(entry['capabilities'])) if (value === true) names.add(name.toLowerCase());
  }
  const type = entry['type'];
  if (type === 'vlm') found.vision = true;
  if (type === 'embeddings' || type === 'embedding') found.embeddings = true;
  if (names.has('tools') || names.has('tool_use') || names.has('function_calling') || names.has('tool_choice')) found.tools = true;
  if (names.has('vision') || names.has('image_input')) found.vision = true;
  if (names.has('reasoning') || names.has('thinking') || names.has('include_reasoning')) found.reasoning = true;
  if (names.has('embedding') || names.has('embeddings')) found.embeddings = true;
  return Object.keys(found).length > 0 ? found : undefined;
}
