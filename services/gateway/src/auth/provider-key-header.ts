import { ConfigError, type AuthSettings } from '@nachos/common';

/**
 * `[auth] provider_key_header`, lower case: where a caller's own provider key comes. A header gateway
 * keys are read from cannot also carry one: the gateway key (or an SDK's placeholder such as `not-used`)
 * would go upstream as a provider key.
 */
export function readProviderKeyHeader(auth: Pick<AuthSettings, 'provider_key_header' | 'header_names'>): string {
  const header = auth.provider_key_header.toLowerCase();
  if (auth.header_names.some((name) => name.toLowerCase() === header)) {
    throw new ConfigError(`auth.provider_key_header = "${auth.provider_key_header}" is one of auth.header_names, which carry gateway keys`);
  }
  return header;
}
