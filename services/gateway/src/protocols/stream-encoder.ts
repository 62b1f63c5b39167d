import type { StreamEvent } from '@nachos/plugin-sdk';
import type { ClientError } from '../errors/client-error.js';

/**
 * Turns canonical events into one client protocol's stream frames. Each protocol has one; the chat
 * exchange drives it, so every protocol ends every stream exactly once: `end()` after success, or
 * `error()` (the protocol's in-band error) after a failure that came once the headers were sent.
 */
export interface StreamEncoder {
  readonly contentType: string;
  encode(event: StreamEvent): string;
  end(): string;
  error(error: ClientError): string;
}
