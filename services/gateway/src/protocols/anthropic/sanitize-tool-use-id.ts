import { randomBytes } from 'node:crypto';

const INVALID = /[^a-zA-Z0-9_-]/g;

/**
 * Anthropic clients (and Anthropic itself, when the history is replayed there) require tool ids to match
 * `^[a-zA-Z0-9_-]+$`; other providers use ids like `functions.Bash:0`. Every other character becomes
 * `_`, deterministically, so the id a client replays in its `tool_result` still pairs with the call.
 */
export function sanitizeToolUseId(id: string): string {
  return id === '' ? `toolu_${randomBytes(12).toString('hex')}` : id.replace(INVALID, '_');
}
