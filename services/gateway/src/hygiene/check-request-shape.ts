import type { RequestHandler } from 'express';
import { inferProtocol } from '../auth/infer-protocol.js';
import { invalidRequest } from '../errors/gateway-error.js';

/** The documented bounds on what a request body may hold (`[gateway]` in the configuration). */
export interface RequestShapeLimits {
  /** Longest model name, tool name or type, role, id, media type or other identifier. */
  maxIdentifierLength: number;
  /** Longest `metadata` value (and key). */
  maxMetadataLength: number;
  /** Most entries in `messages` (or a Responses `input` list). */
  maxMessages: number;
  /** Most content parts, images and tool calls in the whole body. */
  maxContentParts: number;
}

/**
 * Fields that name something rather than carry content, in every protocol. They end up in routing keys,
 * limiter keys, log lines, gRPC metadata and error text, so none of them may be long.
 */
const IDENTIFIER_KEYS: ReadonlySet<string> = new Set([
  'model', 'name', 'type', 'role', 'id', 'tool_call_id', 'tool_use_id', 'call_id', 'media_type', 'mime_type',
  'user', 'user_id', 'format', 'detail', 'tool_choice', 'reasoning_effort', 'effort', 'service_tier',
  'previous_response_id', 'prompt_cache_key', 'keep_alive', 'encoding_format', 'voice', 'status',
]);

/** Client-authored JSON (schemas, tool inputs) whose keys mean nothing to the gateway. */
const OPAQUE_KEYS: ReadonlySet<string> = new Set(['parameters', 'input_schema', 'schema', 'properties', 'arguments', 'input']);

/** Arrays whose entries count as content parts. */
const PART_KEYS: ReadonlySet<string> = new Set(['content', 'images', 'tool_calls', 'system']);

interface Fault {
  path: string;
  message: string;
}

/**
 * After the body is parsed, before admission: refuses a body whose identifiers are too long or that holds
 * too many messages or parts, with a 400 in the caller's protocol naming the field. Nothing oversized
 * reaches a limiter key, a header or llm-proxy, and a body of countless tiny messages is refused before it
 * is turned into anything else. One walk, no allocation unless the body is refused.
 */
export function checkRequestShape(limits: RequestShapeLimits): RequestHandler {
  return (request, response, next) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return next();
    const fault = checkBody(body as Record<string, unknown>, limits);
    if (!fault) return next();
    response.locals.protocol ??= inferProtocol(request, response);
    next(invalidRequest(`'${fault.path}' ${fault.message}`, fault.path, 'request_too_large'));
  };
}

function checkBody(body: Record<string, unknown>, limits: RequestShapeLimits): Fault | undefined {
  for (const key of ['messages', 'input']) {
    const list = body[key];
    if (Array.isArray(list) && list.length > limits.maxMessages) return { path: key, message: `may hold at most ${limits.maxMessages} entries.` };
  }
  const counter = { parts: 0 };
  return walkObject(body, limits, counter);
}

function walkObject(object: Record<string, unknown>, limits: RequestShapeLimits, counter: { parts: number }): Fault | undefined {
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'string') {
      if (value.length > limits.maxIdentifierLength && IDENTIFIER_KEYS.has(key)) {
        return { path: key, message: `is longer than ${limits.maxIdentifierLength} characters.` };
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (key === 'metadata' && !Array.isArray(value)) {
      const fault = checkMetadata(value as Record<string, unknown>, limits.maxMetadataLength);
      if (fault) return { path: `metadata${fault.path}`, message: fault.message };
      continue;
    }
    // A tool's input in a message is opaque, but a Responses `input` list is the conversation itself.
    if (OPAQUE_KEYS.has(key) && !(key === 'input' && Array.isArray(value))) continue;
    const fault = Array.isArray(value) ? walkArray(key, value, limits, counter) : walkObject(value as Record<string, unknown>, limits, counter);
    if (fault) return { path: Array.isArray(value) ? `${key}${fault.path}` : `${key}.${fault.path}`, message: fault.message };
  }
  return undefined;
}

function walkArray(key: string, array: unknown[], limits: RequestShapeLimits, counter: { parts: number }): Fault | undefined {
  if (PART_KEYS.has(key)) {
    counter.parts += array.length;
    if (counter.parts > limits.maxContentParts) return { path: '', message: `brings the body past ${limits.maxContentParts} content parts.` };
  }
  for (let index = 0; index < array.length; index += 1) {
    const item = array[index];
    if (typeof item !== 'object' || item === null) continue;
    const fault = Array.isArray(item) ? walkArray('', item, limits, counter) : walkObject(item as Record<string, unknown>, limits, counter);
    if (fault) return { path: Array.isArray(item) ? `[${index}]${fault.path}` : `[${index}].${fault.path}`, message: fault.message };
  }
  return undefined;
}

function checkMetadata(metadata: Record<string, unknown>, maxLength: number): Fault | undefined {
  for (const key in metadata) {
    if (key.length > maxLength) return { path: '', message: `has a key longer than ${maxLength} characters.` };
    const value = metadata[key];
    if (typeof value === 'string' && value.length > maxLength) return { path: `.${key}`, message: `is longer than ${maxLength} characters.` };
  }
  return undefined;
}
