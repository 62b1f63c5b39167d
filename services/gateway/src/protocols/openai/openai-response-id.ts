import { randomBytes } from 'node:crypto';

/** An OpenAI-style id: the upstream's when it already has the prefix, else a fresh one. */
export function openAIResponseId(prefix: string, upstreamId: string): string {
  return upstreamId.startsWith(prefix) ? upstreamId : `${prefix}${randomBytes(12).toString('base64url')}`;
}
