import type { ChatRequest, JsonObject, JsonValue, ReasoningEffort } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject, optionalBoolean, optionalNumber, optionalString, requireObject, requireString } from '../request-fields.js';
import { definedOnly } from './defined-only.js';
import { readResponsesInput } from './read-responses-input.js';
import { readResponsesTextFormat } from './read-responses-text-format.js';
import { readResponsesToolChoice, readResponsesTools } from './read-responses-tools.js';

const EFFORTS: ReadonlySet<string> = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

/** Fields that only make sense against OpenAI's stored state; each is refused with why. */
const STATEFUL_FIELDS: Readonly<Record<string, string>> = {
  previous_response_id:
    "'previous_response_id' needs stored responses, and nachos is stateless: it stores none. Send the whole conversation in 'input' (clients such as Codex do so with store: false).",
  conversation: "'conversation' needs stored conversations, and nachos is stateless: it stores none. Send the whole conversation in 'input'.",
  prompt: "'prompt' refers to a prompt template stored on OpenAI's platform, which nachos does not have; send the instructions and input themselves.",
};

export interface ParsedOpenAIResponsesRequest {
  request: ChatRequest;
  /** The request settings a Response object repeats back, as OpenAI's do, ready to merge into it. */
  settings: JsonObject;
  /** The namespace of each namespaced function tool, by name, for the calls in the answer. */
  toolNamespaces: ReadonlyMap<string, string>;
  /** What was accepted but cannot be honoured, for `x-nachos-ignored-fields`. */
  ignoredFields: string[];
}

/**
 * A `POST /v1/responses` body → the canonical request. `store` is accepted (nothing is stored either
 * way, and the response says `store: false`); `include`, `truncation`, `text.verbosity`,
 * `reasoning.summary`, `prompt_cache_key` and `service_tier` are accepted and have no canonical
 * counterpart. Anything that needs OpenAI's stored state or platform (earlier responses, stored
 * prompts, background runs, built-in tools) is refused with a 400 that says so.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function parseOpenAIResponsesRequest(raw: unknown): ParsedOpenAIResponsesRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  for (const [field, message] of Object.entries(STATEFUL_FIELDS)) {
    if (body[field] !== undefined && body[field] !== null) throw invalidRequest(message, field);
  }
  if (optionalBoolean(body, 'background')) {
    throw invalidRequest("'background' responses need stored state, and nachos is stateless; send the request without it (streaming works).", 'background');
  }
  if (body.input === undefined || body.input === null) throw invalidRequest("'input' is required.", 'input');
  const instructions = optionalString(body, 'instructions');
  const tools = readResponsesTools(body.tools);
  const toolChoice = readResponsesToolChoice(body.tool_choice);
  if (toolChoice?.type === 'required' && (tools?.tools.length ?? 0) === 0) {
    throw invalidRequest("'tool_choice' is required, but no function tool is offered (built-in tools cannot run here).", 'tool_choice');
  }
  const parallelToolCalls = optionalBoolean(body, 'parallel_tool_calls');
  const responseFormat = readResponsesTextFormat(body.text);
  const reasoning = body.reasoning === undefined || body.reasoning === null ? undefined : requireObject(body.reasoning, 'reasoning');
  const effort = reasoning ? optionalString(reasoning, 'effort', 'reasoning.effort') : undefined;
  if (effort !== undefined && !EFFORTS.has(effort)) {
    throw invalidRequest(`'reasoning.effort' must be one of ${[...EFFORTS].join(', ')}.`, 'reasoning.effort');
  }
  const maxOutputTokens = optionalNumber(body, 'max_output_tokens', { min: 1, integer: true });
  const temperature = optionalNumber(body, 'temperature', { min: 0, max: 2 });
  const topP = optionalNumber(body, 'top_p', { min: 0, max: 1 });
  const user = optionalString(body, 'safety_identifier') ?? optionalString(body, 'user');
  const metadata = readMetadata(body.metadata);
  // Checked for its type only: nothing is stored either way.
  optionalBoolean(body, 'store');

  const request: ChatRequest = {
    model,
    messages: readResponsesInput(body.input, instructions),
    ...(tools && tools.tools.length > 0 ? { tools: tools.tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallelToolCalls === undefined ? {} : { parallelToolCalls }),
    sampling: definedOnly({ maxTokens: maxOutputTokens, temperature, topP }),
    ...(responseFormat ? { responseFormat } : {}),
    ...(effort ? { reasoning: { effort: effort as ReasoningEffort } } : {}),
    ...(user ? { user } : {}),
    ...(metadata ? { metadata } : {}),
    stream: optionalBoolean(body, 'stream') ?? false,
  };
  const settings: JsonObject = {
    instructions: instructions ?? null,
    max_output_tokens: maxOutputTokens ?? null,
    parallel_tool_calls: parallelToolCalls ?? true,
    previous_response_id: null,
    reasoning: { effort: effort ?? null, summary: reasoning ? echoed(reasoning.summary) : null },
    store: false,
    temperature: temperature ?? null,
    text: { format: isObject(body.text) && isObject(body.text.format) ? body.text.format : { type: 'text' } },
    tool_choice: echoed(body.tool_choice) ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: topP ?? null,
    truncation: echoed(body.truncation) ?? 'disabled',
    user: user ?? null,
    metadata: metadata ?? {},
  };
  return {
    request,
    settings,
    toolNamespaces: tools?.namespaces ?? new Map(),
    ignoredFields: (tools?.setAside ?? []).map((type) => `tools[type=${type}]`),
  };
}

function readMetadata(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw invalidRequest("'metadata' must be an object of string values.", 'metadata');
  }
  return Object.keys(value).length > 0 ? (value as Record<string, string>) : undefined;
}

function echoed(value: JsonValue | undefined): JsonValue {
  return value === undefined ? null : value;
}
