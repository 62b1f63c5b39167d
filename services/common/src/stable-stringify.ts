/**
 * JSON with every object's keys sorted, so that log lines compare and grep alike: a value's `toJSON` is
 * used, a reference back to an enclosing object is written `"[Circular]"` instead of throwing, a bigint
 * becomes its decimal string, and what JSON leaves out (undefined, functions, symbols) is left out.
 */
export function stableStringify(value: unknown): string {
  return stringifyValue(value, []) ?? 'null';
}

function stringifyValue(input: unknown, enclosing: object[]): string | undefined {
  const value = typeof input === 'object' && input !== null && typeof (input as { toJSON?: unknown }).toJSON === 'function' ? (input as { toJSON(): unknown }).toJSON() : input;
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      return value === null ? 'null' : stringifyObject(value, enclosing);
    default:
      return undefined;
  }
}

function stringifyObject(value: object, enclosing: object[]): string {
  if (enclosing.includes(value)) return '"[Circular]"';
  enclosing.push(value);
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown) => stringifyValue(item, enclosing) ?? 'null').join(',')}]`;
  } else {
    const fields: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const field = stringifyValue((value as Record<string, unknown>)[key], enclosing);
      if (field !== undefined) fields.push(`${JSON.stringify(key)}:${field}`);
    }
    text = `{${fields.join(',')}}`;
  }
  enclosing.pop();
  return text;
}
