import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { Secret } from '@nachos/plugin-sdk';
import { CallerPolicySchema } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { fromProtoCallerPolicy, toProtoCallerPolicy, type CallerContext } from './caller-policy-codec.js';

const roundTrip = (caller: CallerContext) => fromProtoCallerPolicy(fromBinary(CallerPolicySchema, toBinary(CallerPolicySchema, toProtoCallerPolicy(caller))));

describe('caller policy codec', () => {
  it('keeps an unrestricted caller unrestricted', () => {
    expect(roundTrip({})).toEqual({});
  });

  it('keeps the allowed models, even none at all, apart from "any"', () => {
    expect(roundTrip({ allowedModels: ['gpt-4o*', 'groq/*'] })).toEqual({ allowedModels: ['gpt-4o*', 'groq/*'] });
    expect(roundTrip({ allowedModels: [] })).toEqual({ allowedModels: [] });
  });

  it('carries the provider key as a secret and header names in lower case, values as they were', () => {
    const decoded = roundTrip({ providerKey: new Secret('sk-byok-canary'), clientHeaders: { 'X-Trace-Id': 't-1', 'x-note': 'café' } });
    expect(decoded.providerKey?.reveal()).toBe('sk-byok-canary');
    expect(String(decoded.providerKey)).not.toContain('sk-byok-canary');
    expect(decoded.clientHeaders).toEqual({ 'x-trace-id': 't-1', 'x-note': 'café' });
  });
});
