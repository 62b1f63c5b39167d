import type { ServedProtocol } from '@nachos/common';

/** Where each client protocol's `/v1` routes are mounted; an empty list: that protocol is not served. */
export interface ProtocolPrefixes {
  openai: readonly string[];
  anthropic: readonly string[];
}

/** Both protocols at the root and under their default paths (`/llm/openai/v1`, `/llm/anthropic/v1`). */
export const DEFAULT_PROTOCOL_PREFIXES: ProtocolPrefixes = { openai: ['/v1', '/llm/openai/v1'], anthropic: ['/v1', '/llm/anthropic/v1'] };

/**
 * `[gateway.protocols.*]` as mount points: a served protocol answers at the root (`/v1/…`) and under its
 * `path` (`<path>/v1/…`, where Nexus' clients point their SDKs); a disabled one at neither.
 */
export function protocolPrefixes(protocols: { openai: ServedProtocol; anthropic: ServedProtocol }): ProtocolPrefixes {
  const prefixes = (protocol: ServedProtocol) => (protocol.enabled ? ['/v1', `${protocol.path}/v1`] : []);
  return { openai: prefixes(protocols.openai), anthropic: prefixes(protocols.anthropic) };
}
