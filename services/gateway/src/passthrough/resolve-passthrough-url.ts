import type { NachosConfig } from '@nachos/common';

/**
 * Where the gateway forwards `/passthrough/…`: `LLM_PROXY_PASSTHROUGH_URL` when set, else the host of
 * `LLM_PROXY_URL` on llm-proxy's pass-through port (or its internal HTTP port, which serves pass-through
 * when it has no port of its own). So a deployment that already tells the gateway where llm-proxy is needs
 * no new setting.
 */
export function resolvePassthroughUrl(config: Pick<NachosConfig, 'gateway' | 'llm_proxy'>): string {
  if (config.gateway.llm_proxy_passthrough_url) return config.gateway.llm_proxy_passthrough_url.replace(/\/+$/, '');
  const address = config.gateway.llm_proxy_url.replace(/^dns:\/*/, '');
  const host = address.startsWith('[') ? address.slice(0, address.indexOf(']') + 1) : (address.split(':')[0] ?? '127.0.0.1');
  const port = config.llm_proxy.passthrough_port || config.llm_proxy.http_port;
  return `http://${host || '127.0.0.1'}:${port}`;
}
