// @ts-check
/**
 * An example third-party provider plugin for nachos: plain ESM JavaScript, no build step, and no
 * import but `@nachos/plugin-sdk`. It answers by echoing the caller's last message, word by word,
 * so it needs no network and no key, yet it walks through the whole contract: a catalogue, an
 * options schema, a streamed answer in the canonical event grammar (text, a tool call, a finish
 * reason, usage), failures as `ProviderError` kinds, and prompt cancellation.
 *
 * Install it by copying this folder to `plugins/echo` (the folder name must equal the id) and
 * restarting llm-proxy; then configure an endpoint:
 *
 *     [endpoints.echo]
 *     provider = "echo"
 *
 * and ask for the model `echo-1` (or its alias `echo`) from any OpenAI, Anthropic or Ollama client.
 */
import { randomUUID } from 'node:crypto';
import { defineProviderPlugin, ProviderError } from '@nachos/plugin-sdk';

const PLUGIN_ID = 'echo';

/** @type {import('@nachos/plugin-sdk').ModelInfo[]} */
const CATALOGUE = [
  {
    id: 'echo-1',
    aliases: ['echo'],
    contextLength: 32_768,
    maxOutputTokens: 4_096,
    capabilities: { tools: true, vision: false, reasoning: false, embeddings: false },
    ownedBy: 'echo',
  },
];

/**
 * `[endpoints.<id>.options]`, validated strictly by llm-proxy before `createProvider` runs: an
 * unknown key or a wrong type stops start-up with a message naming `endpoints.<id>.options.<key>`.
 * Every option needs a default.
 */
const CONFIG_SCHEMA = {
  prefix: { doc: 'Text put before every answer.', format: String, default: '' },
  word_delay_ms: {
    doc: 'Pause before each word, in milliseconds, to watch a stream arrive (and to try cancelling one).',
    format: 'nat',
    default: 0,
  },
};

/**
 * @typedef {{ prefix: string, word_delay_ms: number }} EchoOptions
 * @typedef {import('@nachos/plugin-sdk').ChatRequest} ChatRequest
 * @typedef {import('@nachos/plugin-sdk').CallOptions} CallOptions
 * @typedef {import('@nachos/plugin-sdk').StreamEvent} StreamEvent
 */

export default defineProviderPlugin({
  id: PLUGIN_ID,
  displayName: 'Echo (example plugin)',
  // Nothing is fetched; the URL only names the endpoint in logs and listings.
  defaultBaseUrl: 'echo://local',
  requiresApiKey: false,
  configSchema: CONFIG_SCHEMA,
  catalogue: CATALOGUE,
  /** @param {import('@nachos/plugin-sdk').ProviderContext<EchoOptions>} context */
  createProvider({ endpoint, options, logger }) {
    return {
      /**
       * @param {ChatRequest} request
       * @param {CallOptions} callOptions
       * @returns {AsyncGenerator<StreamEvent>}
       */
      async *chat(request, callOptions) {
        throwIfAborted(callOptions.signal);
        const last = request.messages.at(-1);
        const toolResults = (last?.content ?? []).filter((part) => part.type === 'tool-result');
        const heard = toolResults.length > 0 ? `the tool said: ${toolResults.map(resultText).join(' ')}` : lastUserText(request);
        if (heard === undefined) {
          throw new ProviderError({ kind: 'invalid_request', message: 'echo needs a user message with text', providerId: PLUGIN_ID });
        }
        logger.debug('echoing', { endpoint: endpoint.id, model: request.model, words: words(heard).length });

        yield { type: 'start', id: `echo-${randomUUID()}`, model: request.model };
        const inputTokens = request.messages.reduce((total, message) => total + words(messageText(message)).length, 0);

        const tool = toolResults.length === 0 ? toolNamedIn(heard, request) : undefined;
        if (tool !== undefined) {
          // A call is opened, fed its JSON arguments in fragments, and closed before the finish.
          const argumentsText = JSON.stringify({ text: heard });
          const half = Math.floor(argumentsText.length / 2);
          yield { type: 'tool-call-start', index: 0, id: `call_${randomUUID().replaceAll('-', '')}`, name: tool };
          yield { type: 'tool-call-delta', index: 0, argumentsDelta: argumentsText.slice(0, half) };
          yield { type: 'tool-call-delta', index: 0, argumentsDelta: argumentsText.slice(half) };
          yield { type: 'tool-call-end', index: 0 };
          yield { type: 'finish', reason: 'tool_calls' };
          yield { type: 'usage', usage: { inputTokens, outputTokens: words(argumentsText).length } };
          return;
        }

        const answer = words(`${options.prefix}${heard}`);
        const limit = request.sampling.maxTokens ?? Number.POSITIVE_INFINITY;
        let sent = 0;
        for (const word of answer) {
          if (sent >= limit) break;
          await sleep(options.word_delay_ms, callOptions.signal);
          yield { type: 'text-delta', text: sent === 0 ? word : ` ${word}` };
          sent += 1;
        }
        yield { type: 'finish', reason: sent < answer.length ? 'length' : 'stop' };
        yield { type: 'usage', usage: { inputTokens, outputTokens: sent } };
      },
    };
  },
});

/**
 * @param {ChatRequest} request
 * @returns {string | undefined}
 */
function lastUserText(request) {
  const user = request.messages.findLast((message) => message.role === 'user');
  const text = user === undefined ? '' : messageText(user).trim();
  return text === '' ? undefined : text;
}

/**
 * The first offered tool whose name the text mentions, unless the client said `tool_choice: none`.
 * @param {string} text
 * @param {ChatRequest} request
 */
function toolNamedIn(text, request) {
  if (request.toolChoice?.type === 'none') return undefined;
  const spoken = new Set(words(text));
  return request.tools?.find((tool) => spoken.has(tool.name))?.name;
}

/** @param {import('@nachos/plugin-sdk').Message} message */
function messageText(message) {
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** @param {import('@nachos/plugin-sdk').ToolResultPart} result */
function resultText(result) {
  return result.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ');
}

/** @param {string} text */
function words(text) {
  return text.split(/\s+/).filter((word) => word !== '');
}

/**
 * Waits, but fails with kind `cancelled` the moment the caller goes away (a client disconnect, a
 * deadline): llm-proxy expects a plugin to stop within a second of an abort.
 * @param {number} milliseconds
 * @param {AbortSignal} signal
 * @returns {Promise<void>}
 */
function sleep(milliseconds, signal) {
  throwIfAborted(signal);
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** @param {AbortSignal} signal */
function throwIfAborted(signal) {
  if (signal.aborted) throw cancelled();
}

function cancelled() {
  return new ProviderError({ kind: 'cancelled', message: 'the caller cancelled the request', providerId: PLUGIN_ID });
}
