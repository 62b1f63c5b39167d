import type { JsonObject } from '@nachos/plugin-sdk';
import { invalidRequest } from '../errors/gateway-error.js';

/**
 * Readers for one field of a client's JSON body. Each rejects a wrong type or range with a 400 naming
 * the field, so bad input never costs an upstream call.
 */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, param: string): JsonObject {
  if (!isObject(value)) throw invalidRequest(`'${param}' must be an object.`, param);
  return value;
}

export function optionalString(body: JsonObject, key: string, param = key): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`'${param}' must be a string.`, param);
  return value;
}

export function requireString(body: JsonObject, key: string, param = key): string {
  const value = optionalString(body, key, param);
  if (value === undefined) throw invalidRequest(`'${param}' is required.`, param);
  return value;
}

/** Integers travel to llm-proxy as 32-bit fields unless a reader says otherwise (seeds are 64-bit). */
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

export function optionalNumber(
  body: JsonObject,
  key: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
  param = key,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`'${param}' must be a number.`, param);
  if (range.integer && !Number.isInteger(value)) throw invalidRequest(`'${param}' must be an integer.`, param);
  const min = range.min ?? (range.integer ? INT32_MIN : undefined);
  const max = range.max ?? (range.integer ? INT32_MAX : undefined);
  if (min !== undefined && value < min) throw invalidRequest(`'${param}' must be at least ${min}.`, param);
  if (max !== undefined && value > max) throw invalidRequest(`'${param}' must be at most ${max}.`, param);
  return value;
}

/** The range of a 64-bit seed that a JSON number can carry exactly. */
export const SEED_RANGE = { integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER } as const;

export function optionalBoolean(body: JsonObject, key: string, param = key): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`'${param}' must be true or false.`, param);
  return value;
}

/** A string or a list of strings (OpenAI `stop`), as a list. */
export function optionalStringList(body: JsonObject, key: string, maxItems: number, param = key): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw invalidRequest(`'${param}' must be a string or a list of strings.`, param);
  }
  if (list.length > maxItems) throw invalidRequest(`'${param}' may hold at most ${maxItems} items.`, param);
  return list as string[];
}

/** The body's fields that no reader claimed, for same-family pass-through. */
export function unclaimedFields(body: JsonObject, claimed: ReadonlySet<string>): JsonObject | undefined {
  // Most bodies have none: they are told apart without copying anything.
  if (Object.keys(body).every((key) => claimed.has(key))) return undefined;
  return Object.fromEntries(Object.entries(body).filter(([key]) => !claimed.has(key)));
}
