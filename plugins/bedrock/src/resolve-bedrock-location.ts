import type { Environment } from './read-secret-variable.js';

/**
 * The regional Bedrock Runtime host, with the region filled in when the provider starts: AWS hosts
 * differ per region, and the region is usually given apart from the URL (`AWS_REGION`).
 */
export const BEDROCK_DEFAULT_BASE_URL = 'https://bedrock-runtime.{region}.amazonaws.com';

/** Where one endpoint sends its calls, and the region its requests are signed for. */
export interface BedrockLocation {
  /** The runtime root, without a trailing slash (`https://bedrock-runtime.eu-west-1.amazonaws.com`). */
  runtimeUrl: string;
  region: string;
}

/**
 * Settles the region and the runtime URL of an endpoint. The region is, first found: the endpoint's
 * `region` option; the one named in the base URL's host (`bedrock-runtime.eu-west-1.amazonaws.com`, a
 * FIPS host, or a VPC endpoint `vpce-….bedrock-runtime.eu-west-1.vpce.amazonaws.com`), since a
 * signature for another region than the host's is refused; then `AWS_REGION` and `AWS_DEFAULT_REGION`,
 * as the AWS SDKs read them. A `{region}` placeholder in the base URL is replaced by it.
 *
 * Undefined when no region can be found: a guessed region would send requests, and data, somewhere
 * the operator did not choose.
 */
export function resolveBedrockLocation(baseUrl: string, configuredRegion: string, env: Environment): BedrockLocation | undefined {
  const template = (baseUrl.trim() === '' ? BEDROCK_DEFAULT_BASE_URL : baseUrl.trim()).replace(/\/+$/, '');
  const region =
    nonEmpty(configuredRegion) ?? regionOfHost(template) ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  return region === undefined ? undefined : { runtimeUrl: template.replaceAll(REGION_PLACEHOLDER, region), region };
}

const REGION_PLACEHOLDER = '{region}';

function regionOfHost(baseUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return undefined;
  }
  const candidate = /(?:^|\.)bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\./.exec(host)?.[1];
  return candidate !== undefined && REGION_SHAPE.test(candidate) ? candidate : undefined;
}

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`. */
const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
