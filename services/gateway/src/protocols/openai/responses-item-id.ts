import { randomBytes } from 'node:crypto';

/**
 * A fresh Responses API id: `resp_` for a response, `msg_`, `rs_` and `fc_` for its output items (and
 * `fco_` for a function output among a stored response's input items). Item
 * ids are the gateway's own; a function call's `call_id` stays the provider's tool-call id, because
 * that is what the client answers with.
 */
export function createResponsesId(prefix: 'resp' | 'msg' | 'rs' | 'fc' | 'fco'): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}
