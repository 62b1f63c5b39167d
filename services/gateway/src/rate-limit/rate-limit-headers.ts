import type { LimitState } from './limit-check.js';

/**
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` as OpenAI sends them (reset as a duration such
 * as `1s` or `6m0s`), from the key's own request and token limits. A request under no such limit gets none.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function rateLimitHeaders(states: readonly LimitState[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const state of states) {
    if (state.name !== 'requests' && state.name !== 'tokens') continue;
    headers[`x-ratelimit-limit-${state.name}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${state.name}`] = String(Math.max(0, state.limit - state.used));
    headers[`x-ratelimit-reset-${state.name}`] = formatDuration(state.resetMs);
  }
  return headers;
}

/** Go-style durations, which is what OpenAI's headers hold: `250ms`, `1.5s`, `6m0s`. */
export function formatDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1_000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}
