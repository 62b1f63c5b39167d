/**
 * Strict checks for the config's open-ended tables (`endpoints.<id>`, `providers.<id>`,
 * `llm.models.<name>`), which convict's fixed schema cannot describe. Each failure names the full key.
 */
export type FieldCheck = (value: unknown, key: string) => void;

export function checkTable(value: unknown, key: string, fields: Record<string, FieldCheck>, required: string[] = []): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${key} must be a table/object`);
  }
  const record = value as Record<string, unknown>;
  for (const [name, item] of Object.entries(record)) {
    const check = fields[name];
    if (check === undefined) {
      throw new Error(`${key}.${name} is not a known setting (known: ${Object.keys(fields).join(', ')})`);
    }
    if (item !== undefined) check(item, `${key}.${name}`);
  }
  for (const name of required) {
    if (record[name] === undefined) throw new Error(`${key}.${name} is required`);
  }
}

const ID = /^[a-z0-9][a-z0-9._-]*$/i;
/** Model names may also be `<endpoint>/<model>` or `<endpoint>:<model>`. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9._:/-]*$/i;
/** An HTTP header name (RFC 9110 token). */
export const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** A URL path prefix such as `/llm/openai`: segments of URL-safe characters, no trailing slash. */
export const PATH_PREFIX = /^(?:\/[A-Za-z0-9._~-]+)+$/;

export function checkMapOf(value: unknown, key: string, checkEntry: FieldCheck, names = ID): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${key} must be a table/object`);
  }
  for (const [name, entry] of Object.entries(value)) {
    if (!names.test(name)) {
      throw new Error(`${key}.${name}: ${names === ID ? "ids use letters, digits, '.', '_' and '-'" : "names use letters, digits, '.', '_', '-', ':' and '/'"}`);
    }
    checkEntry(entry, `${key}.${name}`);
  }
}

export const isString: FieldCheck = (value, key) => {
  if (typeof value !== 'string') throw new Error(`${key} must be a string`);
};

export const isBoolean: FieldCheck = (value, key) => {
  if (typeof value !== 'boolean') throw new Error(`${key} must be true or false`);
};

export const isPositiveNumber: FieldCheck = (value, key) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${key} must be a positive number`);
};

export const isStringList: FieldCheck = (value, key) => {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new Error(`${key} must be a list of strings`);
  }
};

export const isUrl: FieldCheck = (value, key) => {
  isString(value, key);
  let parsed: URL;
  try {
    parsed = new URL(value as string);
  } catch {
    throw new Error(`${key} must be an absolute http(s) URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${key} must be an http(s) URL`);
};

export const isStringMap: FieldCheck = (value, key) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${key} must be a table/object`);
  for (const [name, item] of Object.entries(value)) isString(item, `${key}.${name}`);
};

export const isAnyTable: FieldCheck = (value, key) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${key} must be a table/object`);
};

/** A list whose every entry is one of `allowed`. */
export function isListOf(...allowed: string[]): FieldCheck {
  return (value, key) => {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !allowed.includes(item))) {
      throw new Error(`${key} must be a list of: ${allowed.join(', ')}`);
    }
  };
}

export function isOneOf(...allowed: string[]): FieldCheck {
  return (value, key) => {
    if (typeof value !== 'string' || !allowed.includes(value)) throw new Error(`${key} must be one of: ${allowed.join(', ')}`);
  };
}
