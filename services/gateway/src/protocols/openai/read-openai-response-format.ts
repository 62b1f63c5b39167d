import type { ResponseFormat } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

/** `response_format`: text, json_object, or json_schema with a named schema. */
export function readOpenAIResponseFormat(format: unknown): ResponseFormat | undefined {
  if (format === undefined || format === null) return undefined;
  if (!isObject(format)) throw invalidRequest("'response_format' must be an object.", 'response_format');
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isObject(spec) || typeof spec.name !== 'string' || !isObject(spec.schema)) {
      throw invalidRequest("'response_format.json_schema' needs a name and a schema object.", 'response_format.json_schema');
    }
    return { type: 'json_schema', name: spec.name, schema: spec.schema, ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}) };
  }
  throw invalidRequest("'response_format.type' must be text, json_object or json_schema.", 'response_format.type');
}
