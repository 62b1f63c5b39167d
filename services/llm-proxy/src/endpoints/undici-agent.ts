import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

const require = createRequire(import.meta.url);

/**
 * undici's Agent on its own. `import { Agent } from 'undici'` evaluates the whole package (fetch, WebSocket,
 * caches, mocks), and its index reads the global `Headers` and `File`, which loads Node's bundled copy of
 * undici beside it: ~9 MB of idle RSS for code that a chat never runs. Like undici's index, this gives every
 * dispatcher `request`, `stream` and `pipeline`, so a plugin's `dispatcher` is a whole undici Dispatcher.
 */
export const Agent = require('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
Object.assign((require('undici/lib/dispatcher/dispatcher.js') as { prototype: object }).prototype, require('undici/lib/api/index.js'));

let undiciFetch: Promise<typeof import('undici').fetch> | undefined;

/** A `fetch` over `dispatcher` (image URLs, not chats); undici's fetch is loaded on the first call. */
export function fetchOver(dispatcher: Dispatcher): typeof globalThis.fetch {
  return (async (input: Parameters<typeof import('undici').fetch>[0], init?: Parameters<typeof import('undici').fetch>[1]) => {
    undiciFetch ??= import('undici').then((undici) => undici.fetch);
    return (await undiciFetch)(input, { ...init, dispatcher });
  }) as unknown as typeof globalThis.fetch;
}
