import { defineProviderPlugin } from '@nachos/plugin-sdk';
import { BEDROCK_CATALOGUE } from './bedrock-catalogue.js';
import { BEDROCK_CONFIG_SCHEMA, type BedrockOptions } from './bedrock-options.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { BEDROCK_DEFAULT_BASE_URL } from './resolve-bedrock-location.js';

/**
 * Amazon Bedrock's Converse API. Setting AWS credentials turns it on: `AWS_ACCESS_KEY_ID` with
 * `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN` for temporary ones), or a Bedrock API key in
 * `AWS_BEARER_TOKEN_BEDROCK` (which wins when both are set, as in the AWS SDKs); the region comes from
 * `AWS_REGION` or `AWS_DEFAULT_REGION`. `BEDROCK_BASE_URL` points it at a VPC endpoint or a test server.
 *
 * The provider's code, with the AWS signer and eventstream codec (~2.5 MB of RSS), is imported when an
 * endpoint is made, so an llm-proxy that serves no Bedrock endpoint never loads it.
 */
export default defineProviderPlugin<BedrockOptions>({
  id: BEDROCK_PLUGIN_ID,
  displayName: 'Amazon Bedrock',
  defaultBaseUrl: BEDROCK_DEFAULT_BASE_URL,
  apiKeyEnv: ['AWS_BEARER_TOKEN_BEDROCK', 'AWS_ACCESS_KEY_ID'],
  baseUrlEnv: 'BEDROCK_BASE_URL',
  requiresApiKey: true,
  configSchema: BEDROCK_CONFIG_SCHEMA,
  catalogue: BEDROCK_CATALOGUE,
  createProvider: async (context) => (await import('./create-bedrock-provider.js')).createBedrockProvider(context),
});
