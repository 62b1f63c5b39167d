import { BEDROCK_DEFAULT_BASE_URL, resolveBedrockLocation } from './resolve-bedrock-location.js';

describe('resolveBedrockLocation', () => {
  it('fills the default host with AWS_REGION, else AWS_DEFAULT_REGION', () => {
    expect(resolveBedrockLocation(BEDROCK_DEFAULT_BASE_URL, '', { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({
      runtimeUrl: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
      region: 'eu-central-1',
    });
    expect(resolveBedrockLocation('', '', { AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({
      runtimeUrl: 'https://bedrock-runtime.us-west-2.amazonaws.com',
      region: 'us-west-2',
    });
  });

  it('prefers the endpoint option over the environment', () => {
    expect(resolveBedrockLocation(BEDROCK_DEFAULT_BASE_URL, 'ap-northeast-1', { AWS_REGION: 'us-east-1' })?.region).toBe('ap-northeast-1');
  });

  it("signs for the region a base URL's host names, VPC and FIPS endpoints included", () => {
    const env = { AWS_REGION: 'us-east-1' };
    expect(resolveBedrockLocation('https://bedrock-runtime.eu-west-3.amazonaws.com/', '', env)).toEqual({
      runtimeUrl: 'https://bedrock-runtime.eu-west-3.amazonaws.com',
      region: 'eu-west-3',
    });
    expect(resolveBedrockLocation('https://vpce-0a1b2c-xyz.bedrock-runtime.us-gov-west-1.vpce.amazonaws.com', '', env)?.region).toBe('us-gov-west-1');
    expect(resolveBedrockLocation('https://bedrock-runtime-fips.us-east-2.amazonaws.com', '', env)?.region).toBe('us-east-2');
  });

  it('keeps a base URL without a region in its host, such as a test server, and signs for the configured region', () => {
    expect(resolveBedrockLocation('http://127.0.0.1:4566', '', { AWS_REGION: 'us-east-1' })).toEqual({
      runtimeUrl: 'http://127.0.0.1:4566',
      region: 'us-east-1',
    });
  });

  it('refuses to guess a region', () => {
    expect(resolveBedrockLocation(BEDROCK_DEFAULT_BASE_URL, '', {})).toBeUndefined();
  });
});
