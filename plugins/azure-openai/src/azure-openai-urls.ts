import { encodePathSegment } from '@nachos/plugin-sdk';

/**
 * The resource root of an Azure OpenAI endpoint (`https://my-resource.openai.azure.com`), whatever
 * form the operator pasted: with a trailing slash, or with the `/openai` or `/openai/v1` path other
 * clients' settings carry.
 */
export function azureResourceRoot(endpoint: string): string {
  return endpoint
    .trim()
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\/openai(\/v1)?$/i, '');
}

/**
 * The base of one deployment's classic URLs: `{root}/openai/deployments/{deployment}?api-version=…`.
 * The SDK's `joinUrl` keeps the query at the end, so `chat/completions` and `embeddings` land before it.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/reference
 */
export function azureDeploymentBaseUrl(root: string, deployment: string, apiVersion: string): string {
  return `${root}/openai/deployments/${encodePathSegment(deployment, 'deployment name')}?api-version=${encodeURIComponent(apiVersion)}`;
}

/**
 * The base of the v1 surface, where the deployment is named in the body's `model`, as with OpenAI.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle
 */
export function azureV1BaseUrl(root: string): string {
  return `${root}/openai/v1`;
}
