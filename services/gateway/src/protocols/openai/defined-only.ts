/** The object without its `undefined` entries, so optional canonical fields are absent rather than undefined. */
export function definedOnly<Value extends object>(value: Value): Value {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Value;
}
