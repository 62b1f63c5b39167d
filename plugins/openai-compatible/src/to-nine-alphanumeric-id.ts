import { createHash } from 'node:crypto';

const NINE_ALPHANUMERIC = /^[a-zA-Z0-9]{9}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A tool-call id in the only shape Mistral accepts (`^[a-zA-Z0-9]{9}$`; "Tool call id was … but must
 * be a-z, A-Z, 0-9, with a length of 9"). Ids already in that shape are kept; others (`call_…` from
 * OpenAI, `toolu_…` from Anthropic, after a failover) are hashed, so that a call and its result, which
 * carry the same id, map to the same new one in every request of the conversation.
 */
export function toNineAlphanumericId(id: string): string {
  if (NINE_ALPHANUMERIC.test(id)) {
    return id;
  }
  const digest = createHash('sha256').update(id).digest();
  return Array.from(digest.subarray(0, 9), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}
