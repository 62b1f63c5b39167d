import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { EndpointTargetPolicy } from './endpoint-target-policy.js';

/**
 * A DNS lookup for outgoing connections that refuses any address the policy forbids. Used when connecting
 * to endpoints added at run time, so that a name which resolved to an allowed address when it was added
 * and to a metadata address now (DNS rebinding) is refused at the moment it would be used.
 */
export function guardedLookup(policy: EndpointTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      try {
        for (const entry of addresses) policy.checkAddress(hostname, entry.address);
      } catch (refusal) {
        return callback(refusal as Error, '', 0);
      }
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      return callback(null, first?.address ?? '', first?.family ?? 4);
    });
  };
}
