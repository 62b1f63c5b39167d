import { readFileSync } from 'node:fs';

/** A recorded file from `test/fixtures/protocols/`, exactly as stored (`anthropic-messages/messages-stream-text.sse`). */
export function readProtocolFixture(path: string): string {
  return readFileSync(new URL(`../fixtures/protocols/${path}`, import.meta.url), 'utf8');
}

/** The JSON payloads of an SSE body's `data:` lines, in order (`[DONE]` left out), whatever its line endings. */
export function ssePayloads(body: string): unknown[] {
  return body
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice('data:'.length).trim())
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as unknown);
}

/** The objects of an NDJSON body, one a line. */
export function ndjsonLines(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}
