import type { JsonObject, JsonValue } from '@nachos/plugin-sdk';

/**
 * Arguments for a mock tool call that satisfy the tool's JSON Schema as far as agents check it: every
 * required property gets a value of its declared type (the first `enum` value, the `const`, or a
 * fixed placeholder), nested objects recursively. Optional properties are left out.
 */
export function buildMockToolArguments(schema: JsonObject): JsonObject {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? schema['required'] : [];
  const argumentsObject: JsonObject = {};
  for (const name of required) {
    if (typeof name === 'string') {
      const property = properties[name];
      argumentsObject[name] = sampleValue(isObject(property) ? property : {});
    }
  }
  return argumentsObject;
}

function sampleValue(schema: JsonObject): JsonValue {
  if (schema['const'] !== undefined) {
    return schema['const'];
  }
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) {
    return schema['enum'][0] ?? null;
  }
  const type = Array.isArray(schema['type']) ? schema['type'].find((candidate) => candidate !== 'null') : schema['type'];
  switch (type) {
    case 'string':
      return 'mock';
    case 'integer':
    case 'number':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return buildMockToolArguments(schema);
    default:
      return null;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
