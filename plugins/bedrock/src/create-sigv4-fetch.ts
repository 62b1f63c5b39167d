import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Secret } from '@nachos/plugin-sdk';

export interface SigV4Credentials {
  accessKeyId: Secret;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

/** The SigV4 signing name of Bedrock Runtime: `bedrock`, although the host says `bedrock-runtime`. */
const SIGNING_SERVICE = 'bedrock';

/**
 * Wraps `fetch` so that every request it sends is signed with AWS Signature Version 4 by the AWS
 * SDK's own signer: method, path (percent-encoded once more, as every service but S3 expects), query,
 * every header about to be sent, the `host` the connection will name, and a hash of the exact body
 * text. Signing the request as it leaves, rather than before `fetchUpstream` assembles it, is what
 * keeps the signature true to the bytes on the wire.
 *
 * The credentials are revealed only inside the signer's credential lookup, per request; the secret
 * access key itself never leaves the process.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export function createSigV4Fetch(fetch: typeof globalThis.fetch, region: string, credentials: SigV4Credentials): typeof globalThis.fetch {
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
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const body = init?.body ?? undefined;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('SigV4 signing needs the request body as text');
    }
    const headers: Record<string, string> = { host: url.host };
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const signed = await signer.sign({
      method: (init?.method ?? 'GET').toUpperCase(),
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: body ?? undefined,
    });
    const sent = new Headers(signed.headers);
    // `fetch` names the host itself, from the URL; the signature already covers the same value.
    sent.delete('host');
    return fetch(url, { ...init, headers: sent });
  };
}
