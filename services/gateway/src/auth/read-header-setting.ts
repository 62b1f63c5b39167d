import { ConfigError, type AuthSettings } from '@nachos/common';

type HeaderSetting = 'provider_key_header' | 'user_header';

/**
 * `[auth] provider_key_header` or `user_header`, lower case. Neither may be a header gateway keys are read
 * from, nor the two one header: a gateway key (or an SDK's placeholder such as `not-used`) would go
 * upstream as a provider key, or a key would be kept as a user's name in usage records.
 */
export function readHeaderSetting(auth: Pick<AuthSettings, HeaderSetting | 'header_names'>, setting: HeaderSetting): string {
  const header = auth[setting].toLowerCase();
  if (auth.header_names.some((name) => name.toLowerCase() === header)) {
    throw new ConfigError(`auth.${setting} = "${auth[setting]}" is one of auth.header_names, which carry gateway keys`);
  }
  if (auth.provider_key_header.toLowerCase() === auth.user_header.toLowerCase()) {
    throw new ConfigError(`auth.provider_key_header and auth.user_header are both "${auth[setting]}": a provider key would be kept as a user's name`);
  }
  return header;
}
