import { GatewayError } from './gateway-error.js';

/**
 * A client that went away before its request body was all in: the request ended on its side, so it is
 * logged as `cancelled` (the kind table's 499), never as a failure of the gateway's.
 */
export const CLIENT_LEFT = new GatewayError({ kind: 'cancelled', message: 'The client closed the connection before its request body was in.' });
