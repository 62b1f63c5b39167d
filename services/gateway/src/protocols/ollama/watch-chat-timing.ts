import type { ChatRequest } from '@nachos/plugin-sdk';
import type { CallContext, LlmProxyClient } from '../../llm-proxy/llm-proxy-client.js';
import type { OllamaTiming } from './ollama-timing.js';

/**
 * The llm-proxy client as one Ollama exchange sees it: its chat stream reports each event's arrival to
 * `timing`. The shared chat exchange drives the stream (and aggregates it for `stream: false`), so this
 * is the one place where both modes can be timed without a second copy of that logic.
 */
export function watchChatTiming(client: LlmProxyClient, timing: OllamaTiming): LlmProxyClient {
  return new Proxy(client, {
    get(target, key) {
      if (key === 'chat') return (request: ChatRequest, context: CallContext) => timing.watch(target.chat(request, context));
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
