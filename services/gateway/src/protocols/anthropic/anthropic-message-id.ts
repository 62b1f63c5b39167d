import { randomBytes } from 'node:crypto';

/**
 * A fresh `msg_…` id for every response. Never the upstream's id: some upstreams repeat ids, and
 * Claude Code keys concurrent requests on them.
 */
export function createAnthropicMessageId(): string {
  return `msg_${randomBytes(16).toString('hex')}`;
}
