import { redactSecrets } from '@nachos/plugin-sdk';
import { isoTimestamp } from './iso-timestamp.js';

/**
 * Fields whose values nachos makes itself (enums, numbers, names from its own configuration):
 * no secret can reach them, so the per-request access line scrubs only its id and path.
 */
export const TRUSTED_FIELDS = new Set(['level', 'service', 'timestamp', 'method', 'status', 'durationMs', 'clientClosedEarly', 'provider', 'endpoint']);

/** A flat entry: what {@link jsonLine} takes. */
export type LineFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** The keys winston's entry adds to a line's own fields. */
const ENTRY_KEYS = ['service', 'level', 'message', 'timestamp'] as const;

/** One key of a line, in its place: its JSON name, where its value comes from, and whether it is scrubbed. */
interface Step {
  key: string;
  name: string;
  from: 'field' | (typeof ENTRY_KEYS)[number];
  redact: boolean;
}

/** The steps for one list of field names, as `Object.keys` gives them. */
interface Plan {
  fields: readonly string[];
  steps: readonly Step[];
}

/**
 * Plans made so far. Each call site passes one object literal, so a service has a handful of field lists,
 * and sorting a line's keys and writing their names anew for every request cost about as much as the rest
 * of the line; the bound keeps a caller that makes up field names from growing it.
 */
const plans: Plan[] = [];
const MAX_PLANS = 32;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/** The entry winston would format, `{ service, ...fields, level, message, timestamp }`, as steps in sorted key order. */
function planFor(fields: readonly string[]): readonly Step[] {
  for (const plan of plans) if (sameNames(plan.fields, fields)) return plan.steps;
  const keys = [...fields];
  for (const own of ENTRY_KEYS) if (!fields.includes(own)) keys.push(own);
  keys.sort();
  const steps = keys.map((key): Step => {
    // The entry's level, message and timestamp win over fields of those names; a `service` field wins over the logger's.
    const from = key === 'level' || key === 'message' || key === 'timestamp' || (key === 'service' && !fields.includes(key)) ? key : 'field';
    return { key, name: `${JSON.stringify(key)}:`, from, redact: !TRUSTED_FIELDS.has(key) };
  });
  if (plans.length < MAX_PLANS) plans.push({ fields, steps });
  return steps;
}

/**
 * The JSON line (without its end of line) winston's JSON format writes for this entry, byte for byte: keys
 * sorted, undefined left out, strings scrubbed as its redaction format does, the same timestamp.
 */
export function jsonLine(service: string, level: string, message: string, fields: LineFields): string {
  let line = '{';
  let separator = '';
  for (const step of planFor(Object.keys(fields))) {
    let value: string | number | boolean | undefined;
    if (step.from === 'field') value = fields[step.key];
    else if (step.from === 'level') value = level;
    else if (step.from === 'message') value = message;
    else if (step.from === 'service') value = service;
    else value = isoTimestamp();
    if (value === undefined) continue;
    // What JSON.stringify writes for a number or a boolean, without its call; strings go through it for escaping.
    let text: string;
    if (typeof value === 'number') text = Number.isFinite(value) ? `${value}` : 'null';
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else text = JSON.stringify(step.redact ? redactSecrets(value) : value);
    line += `${separator}${step.name}${text}`;
    separator = ',';
  }
  return `${line}}`;
}
