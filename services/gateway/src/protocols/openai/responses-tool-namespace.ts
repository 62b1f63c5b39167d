import type { ResponsesEnvelope } from './build-responses-object.js';

/** `{namespace}` for a call to a function declared inside a `namespace` tool, else nothing. */
export function namespaceOf(envelope: ResponsesEnvelope, name: string): { namespace?: string } {
  const namespace = envelope.toolNamespaces?.get(name);
  return namespace ? { namespace } : {};
}
