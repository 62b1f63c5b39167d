import type { ChatRequest, JsonObject, JsonValue, ReasoningEffort } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject, optionalBoolean, optionalNumber, optionalString, requireObject, requireString } from '../request-fields.js';
import { definedOnly } from './defined-only.js';
import { readResponsesInput } from './read-responses-input.js';
import { readResponsesTextFormat } from './read-responses-text-format.js';
import { readResponsesToolChoice, readResponsesTools } from './read-responses-tools.js';

const EFFORTS: ReadonlySet<string> = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

/** Fields that only make sense against OpenAI's platform state; each is refused with why. */
const STATEFUL_FIELDS: Readonly<Record<string, string>> = {
  conversation:
    "'conversation' needs OpenAI's conversation objects, which nachos does not keep. Continue with 'previous_response_id', or send the whole conversation in 'input'.",
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
  /** Whether the answer is to be kept (`store`, true unless the client says otherwise). */
  store: boolean;
}

/** The stored response a request continues (`previous_response_id`), as the route found it. */
export interface PreviousResponse {
  id: string;
  /** Its conversation as input items, which the new input follows. */
  conversation: JsonValue[];
}

/** `previous_response_id`, checked for its type, before the route looks the response up. */
export function readPreviousResponseId(raw: unknown): string | undefined {
  const body = requireObject(raw, 'body');
  const id = body.previous_response_id === null ? undefined : optionalString(body, 'previous_response_id');
  return id === '' ? undefined : id;
}

/**
 * A `POST /v1/responses` body → the canonical request. With a `previous` response, its conversation
 * comes first and this request's input follows it (the new `instructions` alone apply, as at OpenAI).
 * `include`, `truncation`, `text.verbosity`, `reasoning.summary`, `prompt_cache_key` and
 * `service_tier` are accepted and have no canonical counterpart. Anything that needs OpenAI's platform
 * (conversation objects, stored prompts, background runs, built-in tools) is refused with a 400 that
 * says so.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 */
export function parseOpenAIResponsesRequest(raw: unknown, previous?: PreviousResponse): ParsedOpenAIResponsesRequest {
  const body = requireObject(raw, 'body');
  const model = requireString(body, 'model');
  for (const [field, message] of Object.entries(STATEFUL_FIELDS)) {
    if (body[field] !== undefined && body[field] !== null) throw invalidRequest(message, field);
  }
  if (optionalBoolean(body, 'background')) {
    throw invalidRequest("'background' responses run on OpenAI's platform, which nachos does not have; send the request without it (streaming works).", 'background');
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
  const store = optionalBoolean(body, 'store') ?? true;

  const request: ChatRequest = {
    model,
    messages: readResponsesInput(previous ? continued(previous, body.input) : body.input, instructions),
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
    previous_response_id: previous?.id ?? null,
    reasoning: { effort: effort ?? null, summary: reasoning ? echoed(reasoning.summary) : null },
    store,
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
    store,
  };
}

/** The previous conversation, then this request's input as items (a string is one user message). */
function continued(previous: PreviousResponse, input: JsonValue): JsonValue[] {
  if (typeof input === 'string') return [...previous.conversation, { role: 'user', content: input }];
  if (!Array.isArray(input)) throw invalidRequest("'input' must be a string or a list of input items.", 'input');
  return [...previous.conversation, ...input];
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
