import { isoTimestamp } from '@nachos/common';
import type { AggregatedResponse } from '../aggregate-events.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import type { OllamaMetrics } from './ollama-timing.js';
import type { OllamaGenerationEndpoint } from './parsed-ollama-request.js';
import { toOllamaToolCall, type OllamaToolCall } from './to-ollama-tool-call.js';

/** What one response object says, before it is shaped for chat or generate. */
export interface OllamaOutput {
  content: string;
  thinking?: string;
  toolCalls?: OllamaToolCall[];
}

/**
 * One `done: false` object: `/api/chat` puts the text in `message`, `/api/generate` in `response`.
 * `created_at` is the time of writing, as Ollama stamps each line. Every object below is one literal in
 * Ollama's key order rather than spread from a shared envelope, which V8 builds slowly; a field a response
 * does not carry (`thinking`, `tool_calls`) is `undefined`, which JSON.stringify, the only way these
 * objects leave, leaves out.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#response-9
 */
export function ollamaPartial(endpoint: OllamaGenerationEndpoint, model: string, output: OllamaOutput) {
  const createdAt = isoTimestamp();
  if (endpoint === 'chat') return { model, created_at: createdAt, message: chatMessage(output), done: false };
  return { model, created_at: createdAt, response: output.content, thinking: output.thinking || undefined, done: false };
}

/**
 * The final `done: true` object, with the reason and metrics. `/api/generate` also carries `context`,
 * empty: nachos keeps no token memory, and some clients (comfyui-ollama) fail when the key is missing.
 */
export function ollamaFinal(endpoint: OllamaGenerationEndpoint, model: string, output: OllamaOutput, doneReason: string, metrics: OllamaMetrics) {
  const createdAt = isoTimestamp();
  const chat = endpoint === 'chat';
  return {
    model,
    created_at: createdAt,
    message: chat ? chatMessage(output) : undefined,
    response: chat ? undefined : output.content,
    thinking: chat ? undefined : output.thinking || undefined,
    done: true,
    done_reason: doneReason,
    context: chat ? undefined : [],
    total_duration: metrics.total_duration,
    load_duration: metrics.load_duration,
    prompt_eval_count: metrics.prompt_eval_count,
    prompt_eval_duration: metrics.prompt_eval_duration,
    eval_count: metrics.eval_count,
    eval_duration: metrics.eval_duration,
  };
}

/** A whole answer for `stream: false`: one object, the final one, holding everything. */
export function buildOllamaResponse(endpoint: OllamaGenerationEndpoint, model: string, response: AggregatedResponse, metrics: OllamaMetrics) {
  let content = response.text;
  const toolCalls: OllamaToolCall[] = [];
  response.toolCalls.forEach((call, index) => {
    const converted = toOllamaToolCall(call, index);
    if ('call' in converted) toolCalls.push(converted.call);
    else content += converted.text;
  });
  const output: OllamaOutput = {
    content,
    ...(response.reasoning ? { thinking: response.reasoning } : {}),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
  return ollamaFinal(endpoint, model, output, mapOllamaDoneReason(response.finishReason), metrics);
}

/** The answer to a load or unload request (nothing to generate): no metrics, the action as reason. */
export function ollamaModelActionResponse(endpoint: OllamaGenerationEndpoint, model: string, action: 'load' | 'unload') {
  const createdAt = isoTimestamp();
  if (endpoint === 'chat') return { model, created_at: createdAt, message: chatMessage({ content: '' }), done: true, done_reason: action };
  return { model, created_at: createdAt, response: '', done: true, done_reason: action };
}

function chatMessage(output: OllamaOutput) {
  return { role: 'assistant', content: output.content, thinking: output.thinking || undefined, tool_calls: output.toolCalls };
}
