import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RecordedRequest } from '@nachos/plugin-sdk/testing';

export const SIGV4_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=(?<keyId>[A-Z0-9]+)\/(?<date>\d{8})\/(?<region>[a-z0-9-]+)\/bedrock\/aws4_request, SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<signature>[0-9a-f]{64})$/;

/**
 * Checks the signature of a request as the fake upstream received it: the headers it names as
 * signed, the path as it arrived and the body's bytes are signed again with the same secret and
 * timestamp, by the AWS signer; the generated headers (date, token, payload hash) are left for the
 * signer to derive, so a body changed after signing cannot pass.
 */
export async function signatureMatches(recorded: RecordedRequest, credentials: { secretAccessKey: string; sessionToken?: string }): Promise<boolean> {
  const authorization = String(recorded.headers['authorization']);
  const parts = SIGV4_AUTHORIZATION.exec(authorization)?.groups;
  if (parts === undefined) {
    return false;
  }
  const generated = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);
  const headers = Object.fromEntries(
    (parts['signed'] ?? '')
      .split(';')
      .filter((name) => !generated.has(name))
      .map((name) => [name, String(recorded.headers[name])]),
  );
  const amzDate = String(recorded.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({
    service: 'bedrock',
    region: parts['region'] ?? '',
    credentials: { accessKeyId: parts['keyId'] ?? '', ...credentials },
    sha256: Hash.bind(null, 'sha256'),
  });
  const host = String(recorded.headers['host']);
  const resigned = await signer.sign(
    {
      method: recorded.method,
      protocol: 'http:',
      hostname: host.split(':')[0] ?? host,
      path: recorded.url,
      query: {},
      headers,
      body: recorded.body,
    },
    { signingDate },
  );
  return resigned.headers['authorization'] === authorization;
}
