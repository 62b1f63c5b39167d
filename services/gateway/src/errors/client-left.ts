import { GatewayError } from './gateway-error.js';

/**
 * A client that went away before its request body was all in: the request ended on its side, so it is
 * logged and metered as `cancelled` (499), as a client that leaves before its answer is, and never as a
 * failure of the gateway's.
 */
export const CLIENT_LEFT = new GatewayError({ kind: 'cancelled', message: 'The client closed the connection before its request body was in.' });
