/** A JSON value, as it travels through the canonical model untouched. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. Provider-specific options and tool schemas use it. */
export interface JsonObject {
  [key: string]: JsonValue;
}
