/**
 * Drops the keys whose value is `undefined`, so that a field absent on the wire is absent from the
 * canonical object too (`'signature' in part` stays false), not present-but-undefined. Shallow on purpose:
 * each decoder builds its own nested objects through it.
 */
export function omitUndefined<Value extends object>(value: Value): Value {
  for (const key of Object.keys(value) as Array<keyof Value>) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
