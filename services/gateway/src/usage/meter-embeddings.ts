import type { EmbedRequest } from '@nachos/plugin-sdk';
import type { CallContext, LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';

/**
 * The llm-proxy client as the routers see it: embedding calls are metered like chats (the chat exchange
 * meters chats itself), whichever protocol's route makes them, through the scope in the call's context.
 */
export function meterEmbeddings(client: LlmProxyClient): LlmProxyClient {
  return new Proxy(client, {
    get(target, key) {
      if (key === 'embed') {
        return async (request: EmbedRequest, context: CallContext) => {
          const meter = context.scope?.meter;
          meter?.engage(false);
          const result = await target.embed(request, context);
          meter?.observeEmbedding(result);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
