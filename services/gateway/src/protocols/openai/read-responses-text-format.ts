import type { ResponseFormat } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

/**
 * `text.format`: text, json_object, or json_schema — flat here (`{type, name, schema, strict}`),
 * where Chat Completions nests it under `json_schema`.
 */
export function readResponsesTextFormat(text: unknown): ResponseFormat | undefined {
  if (text === undefined || text === null) return undefined;
  if (!isObject(text)) throw invalidRequest("'text' must be an object.", 'text');
  const format = text.format;
  if (format === undefined || format === null) return undefined;
  if (!isObject(format)) throw invalidRequest("'text.format' must be an object.", 'text.format');
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string' || !isObject(format.schema)) {
      throw invalidRequest("'text.format' of type json_schema needs a name and a schema object.", 'text.format');
    }
    return { type: 'json_schema', name: format.name, schema: format.schema, ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}) };
  }
  throw invalidRequest("'text.format.type' must be text, json_object or json_schema.", 'text.format.type');
}
