import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Secret, SignableRequest } from '@nachos/plugin-sdk';

export interface SigV4Credentials {
  accessKeyId: Secret;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

/** The SigV4 signing name of Bedrock Runtime: `bedrock`, although the host says `bedrock-runtime`. */
const SIGNING_SERVICE = 'bedrock';

/**
 * Signs each request with AWS Signature Version 4 by the AWS SDK's own signer, as `fetchUpstream`
 * sends it: method, path (percent-encoded once more, as every service but S3 expects), query, every
 * header about to be sent, the `host` the connection will name, and a hash of the exact body text.
 * Signing the finished request, rather than before `fetchUpstream` assembles it, keeps the signature
 * true to the bytes on the wire. Returns the headers to send.
 *
 * The credentials are revealed only inside the signer's credential lookup, per request; the secret
 * access key itself never leaves the process.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export function createSigV4Signer(region: string, credentials: SigV4Credentials): (request: SignableRequest) => Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region,
    credentials: async () => ({
      accessKeyId: credentials.accessKeyId.reveal(),
      secretAccessKey: credentials.secretAccessKey.reveal(),
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken.reveal() }),
    }),
    sha256: Hash.bind(null, 'sha256'),
  });
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method: method.toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body === undefined ? {} : { body }),
    });
    const sent: Record<string, string> = { ...signed.headers };
    // The connection names the host itself, from the URL; the signature already covers the same value.
    delete sent['host'];
    return sent;
  };
}
