import type { Secret } from '@nachos/plugin-sdk';

/**
 * One key an endpoint can use: a `[[llm.profiles]]` entry, or the endpoint's own key (named `default`).
 * Cooldowns are kept per credential, so a rejected or rate-limited key is skipped while others serve.
 */
export interface Credential {
  name: string;
  apiKey?: Secret;
}
