import { create } from '@bufbuild/protobuf';
import { Secret } from '@nachos/plugin-sdk';
import { CallerPolicySchema, type CallerPolicy } from '../gen/nachos/llm/v1/llm_proxy_pb.js';

/**
 * What llm-proxy must know about an admitted caller: the model patterns its gateway key may use (absent
 * means any), its own provider key, and the client headers the header rules name. On the `Mux` stream it
 * travels inside the frame that opens a call, so it is bounded by the message limit, not by metadata's.
 */
export interface CallerContext {
  allowedModels?: string[];
  providerKey?: Secret;
  clientHeaders?: Record<string, string>;
}

export function toProtoCallerPolicy(caller: CallerContext): CallerPolicy {
  return create(CallerPolicySchema, {
    allowedModels: caller.allowedModels ?? [],
    restricted: caller.allowedModels !== undefined,
    ...(caller.providerKey ? { providerKey: caller.providerKey.reveal() } : {}),
    clientHeaders: caller.clientHeaders ?? {},
  });
}

/** Header names are lowercased, as the header rules compare them. */
export function fromProtoCallerPolicy(policy: CallerPolicy | undefined): CallerContext {
  if (!policy) return {};
  const headers = Object.entries(policy.clientHeaders);
  return {
    ...(policy.restricted ? { allowedModels: policy.allowedModels } : {}),
    ...(policy.providerKey ? { providerKey: new Secret(policy.providerKey) } : {}),
    ...(headers.length > 0 ? { clientHeaders: Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value])) } : {}),
  };
}
