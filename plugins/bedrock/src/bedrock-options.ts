import type { PluginConfigSchema } from '@nachos/plugin-sdk';

/** How a Bedrock endpoint proves who it is. */
export type BedrockAuthScheme = 'auto' | 'sigv4' | 'api-key';

/** A Bedrock endpoint's options (`[endpoints.<id>.options]`), validated by the loader. */
export interface BedrockOptions {
  /** Budget for one upstream call, streamed body included, in milliseconds; 0 means none. */
  timeout_ms: number;
  /** The AWS region to call and sign for; empty: the base URL's host, else `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
  region: string;
  /**
   * `sigv4` signs with the endpoint key as the access key id; `api-key` sends the key as a Bedrock API
   * key (`Authorization: Bearer`); `auto` signs when the key is shaped like an access key id.
   */
  auth: BedrockAuthScheme;
  /** The variable (or `<NAME>_FILE`) holding the secret access key that goes with the endpoint's access key id. */
  secret_access_key_env: string;
  /** The variable (or `<NAME>_FILE`) holding the session token of temporary credentials, if any. */
  session_token_env: string;
}

export const BEDROCK_CONFIG_SCHEMA: PluginConfigSchema = {
  timeout_ms: {
    doc: 'Budget for one upstream call, streamed body included, in milliseconds (0: none).',
    format: 'nat',
    default: 600_000,
  },
  region: {
    doc: "AWS region (us-east-1); empty: taken from the base URL's host, else AWS_REGION, else AWS_DEFAULT_REGION.",
    format: String,
    default: '',
  },
  auth: {
    doc: 'How requests are authenticated: "sigv4" (access key id + secret access key), "api-key" (a Bedrock API key as a bearer token), or "auto" (sigv4 when the key is an AKIA…/ASIA… access key id).',
    format: ['auto', 'sigv4', 'api-key'],
    default: 'auto',
  },
  secret_access_key_env: {
    doc: 'Environment variable holding the secret access key for SigV4 (also read as <NAME>_FILE).',
    format: String,
    default: 'AWS_SECRET_ACCESS_KEY',
  },
  session_token_env: {
    doc: 'Environment variable holding the session token of temporary credentials (also read as <NAME>_FILE).',
    format: String,
    default: 'AWS_SESSION_TOKEN',
  },
};
