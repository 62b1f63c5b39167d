import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderRule } from '@nachos/common';

/** Headers that describe this hop or the request body, never the caller's intent. */
const HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length',
  'content-type', 'content-encoding', 'expect', 'proxy-connection',
]);

/** Credentials beyond the configured key headers; forwarded only when a rule names them exactly. */
const ALWAYS_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'x-goog-api-key'];

/** gRPC metadata is small (8 KiB by default); forwarded headers get at most this much of it. */
const MAX_FORWARDED_BYTES = 4_096;

/**
 * Which client headers travel to llm-proxy for the `[[header_rules]]` there to use: those a rule forwards
 * or renames. Credential headers go only when a rule names them exactly (a regex never matches them), the
 * header that carried the gateway key and the BYOK header never go, and hop-by-hop headers never do.
 */
export class HeaderForwarding {
  readonly providerKeyHeader: string;
  readonly #exact: ReadonlySet<string>;
  readonly #patterns: readonly RegExp[];
  readonly #credentials: ReadonlySet<string>;

  constructor(rules: readonly HeaderRule[], keyHeaders: readonly string[], providerKeyHeader: string) {
    const exact = new Set<string>();
    const patterns: RegExp[] = [];
    for (const rule of rules) {
      for (const entry of [...(rule.forward ?? []), ...Object.keys(rule.rename ?? {})]) {
        if (entry.length > 2 && entry.startsWith('/') && entry.endsWith('/')) patterns.push(new RegExp(entry.slice(1, -1), 'i'));
        else exact.add(entry.toLowerCase());
      }
    }
    this.#exact = exact;
    this.#patterns = patterns;
    this.#credentials = new Set([...ALWAYS_CREDENTIALS, ...keyHeaders.map((name) => name.toLowerCase()), providerKeyHeader]);
    this.providerKeyHeader = providerKeyHeader;
  }

  /** Whether any rule forwards anything at all; when none does, no header is even looked at. */
  get active(): boolean {
    return this.#exact.size > 0 || this.#patterns.length > 0;
  }

  select(headers: IncomingHttpHeaders, gatewayKeyHeader: string | undefined): Record<string, string> {
    const selected: Record<string, string> = {};
    if (!this.active) return selected;
    let bytes = 0;
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined || HOP_HEADERS.has(name) || name === gatewayKeyHeader || name === this.providerKeyHeader) continue;
      const named = this.#exact.has(name);
      if (!named && (this.#credentials.has(name) || !this.#patterns.some((pattern) => pattern.test(name)))) continue;
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      bytes += name.length + value.length;
      if (bytes > MAX_FORWARDED_BYTES) break;
      selected[name] = value;
    }
    return selected;
  }
}
