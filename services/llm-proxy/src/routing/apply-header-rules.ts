import type { HeaderRule } from '@nachos/common';
import { matchesModelPattern } from './match-model-pattern.js';

/**
 * The headers an upstream call carries under `[[header_rules]]`: for every rule matching the provider
 * and model, the client headers it forwards (names or `/regex/`), its renames, its inserts, minus its
 * removals. Client headers no rule names are never sent, auth headers included.
 */
export function applyHeaderRules(
  rules: readonly HeaderRule[],
  provider: string,
  model: string,
  clientHeaders: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const rule of rules) {
    if (rule.providers && !rule.providers.includes(provider)) continue;
    if (rule.models && !rule.models.some((pattern) => matchesModelPattern(pattern, model))) continue;
    for (const [name, value] of Object.entries(clientHeaders)) {
      if (rule.forward?.some((matcher) => matchesHeader(matcher, name))) headers[name.toLowerCase()] = value;
    }
    for (const [from, to] of Object.entries(rule.rename ?? {})) {
      const value = clientHeaders[from.toLowerCase()];
      if (value !== undefined) headers[to.toLowerCase()] = value;
    }
    for (const [name, value] of Object.entries(rule.insert ?? {})) headers[name.toLowerCase()] = value;
    for (const name of Object.keys(headers)) {
      if (rule.remove?.some((matcher) => matchesHeader(matcher, name))) delete headers[name];
    }
  }
  return headers;
}

/** A header matcher is a name (case-insensitive) or `/regex/`. */
export function matchesHeader(matcher: string, name: string): boolean {
  if (matcher.length > 2 && matcher.startsWith('/') && matcher.endsWith('/')) return new RegExp(matcher.slice(1, -1), 'i').test(name);
  return matcher.toLowerCase() === name.toLowerCase();
}
