import type { Secret } from '@nachos/plugin-sdk';
import type { KeyLimits } from './gateway-key.js';

/** The name usage and limits know callers by when the gateway serves without keys. */
export const ANONYMOUS_CALLER = 'anonymous';

/** Who is calling, as authentication established it; kept in `response.locals.caller`. */
export interface Caller {
  /** The gateway key's name, or {@link ANONYMOUS_CALLER}. */
  keyName: string;
  /** Model patterns the caller may use; undefined means every model. */
  models: readonly string[] | undefined;
  limits: KeyLimits;
  /** The header that carried the gateway key; it is never forwarded upstream, whatever a header rule says. */
  keyHeader: string | undefined;
  /** The caller's own provider key (BYOK), sent only to providers with `forward_token = true`. */
  providerKey: Secret | undefined;
}
