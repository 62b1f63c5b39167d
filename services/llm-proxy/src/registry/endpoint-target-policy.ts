import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { RegistrySettings } from '@nachos/common';
import { ProviderError } from '@nachos/plugin-sdk';

/** Where cloud metadata services answer: link-local, plus the few that live elsewhere. */
const LINK_LOCAL_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
  ['100.100.100.200', 32, 'ipv4'],
  ['fd00:ec2::254', 128, 'ipv6'],
];
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);
/** This machine seen from itself: llm-proxy's own internal ports answer here. */
const LOOPBACK_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
];
/** Addresses that mean "any" and reach this machine in surprising ways. */
const UNSPECIFIED_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
];

/**
 * What an endpoint added at run time may point at (the SSRF guard): http(s) only, no credentials in the
 * URL, not a denied host, only allowed hosts when an allow list is set, and never a link-local or cloud
 * metadata address unless `allow_link_local` says so, and never loopback, an address of this machine or one of
 * the services' own ports unless `allow_loopback` says so (a gateway key must not reach llm-proxy's internal
 * port, or the gateway, through pass-through). Names are checked as written and every address they
 * resolve to is checked too; {@link EndpointTargetPolicy.checkAddress} repeats the address check when a
 * connection is made, so a name that later resolves elsewhere (DNS rebinding) is still refused there.
 * Static endpoints (config file, environment) are the operator's own and are not subject to it.
 */
export class EndpointTargetPolicy {
  readonly #allowLinkLocal: boolean;
  readonly #allowLoopback: boolean;
  readonly #ownPorts: ReadonlySet<number>;
  readonly #loopback = blockListOf(LOOPBACK_RANGES);
  readonly #ownAddresses = new Set(Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address)));
  readonly #allowedNames: string[] = [];
  readonly #deniedNames: string[] = [];
  readonly #allowedAddresses = new BlockList();
  readonly #deniedAddresses = new BlockList();
  readonly #hasAllowedAddresses: boolean;
  readonly #linkLocal = blockListOf(LINK_LOCAL_RANGES);
  readonly #unspecified = blockListOf(UNSPECIFIED_RANGES);

  /** `ownPorts`: the ports llm-proxy itself listens on (gRPC, internal HTTP, pass-through). */
  constructor(settings: Pick<RegistrySettings, 'allowed_hosts' | 'denied_hosts' | 'allow_link_local' | 'allow_loopback'>, ownPorts: readonly number[] = []) {
    this.#allowLinkLocal = settings.allow_link_local;
    this.#allowLoopback = settings.allow_loopback;
    this.#ownPorts = new Set(ownPorts.filter((port) => port > 0));
    const allowedAddresses = addEntries(settings.allowed_hosts, this.#allowedNames, this.#allowedAddresses);
    addEntries(settings.denied_hosts, this.#deniedNames, this.#deniedAddresses);
    this.#hasAllowedAddresses = allowedAddresses > 0;
  }

  /** Checks a base URL as written and every address its host resolves to now. */
  async checkUrl(raw: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refused('base_url must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(`base_url must use http or https, not ${url.protocol.slice(0, -1)}`);
    if (url.username || url.password) throw refused('base_url must not carry credentials; give the key as api_key');
    const host = hostOf(url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (!this.#allowLoopback && this.#ownPorts.has(port)) {
      throw refused(`port ${port} is one of llm-proxy's own ports (set registry.allow_loopback to allow it)`);
    }
    this.checkName(host);
    const addresses = isIP(host) ? [host] : await resolve(host);
    for (const address of addresses) this.checkAddress(host, address);
  }

  /** The checks on a host name alone, before anything is resolved. */
  checkName(host: string): void {
    const name = host.toLowerCase();
    if (!this.#allowLinkLocal && METADATA_NAMES.has(name)) throw refused(`host ${host} is a cloud metadata service`);
    if (this.#deniedNames.some((pattern) => matchesName(pattern, name))) throw refused(`host ${host} is denied (registry.denied_hosts)`);
  }

  /** The checks on one address a host resolved to; also run at connect time. */
  checkAddress(host: string, rawAddress: string): void {
    const [address, family] = normalise(rawAddress);
    if (this.#unspecified.check(address, family)) throw refused(`host ${host} resolves to the unspecified address ${address}`);
    if (!this.#allowLoopback && (this.#loopback.check(address, family) || this.#ownAddresses.has(address))) {
      throw refused(`host ${host} resolves to ${address}, this machine (set registry.allow_loopback to allow it)`);
    }
    if (!this.#allowLinkLocal && this.#linkLocal.check(address, family)) {
      throw refused(`host ${host} resolves to the link-local or metadata address ${address} (set registry.allow_link_local to allow it)`);
    }
    if (this.#deniedAddresses.check(address, family)) throw refused(`host ${host} resolves to ${address}, which is denied (registry.denied_hosts)`);
    const allowList = this.#allowedNames.length > 0 || this.#hasAllowedAddresses;
    if (!allowList) return;
    const allowedByName = this.#allowedNames.some((pattern) => matchesName(pattern, host.toLowerCase()));
    if (!allowedByName && !this.#allowedAddresses.check(address, family)) {
      throw refused(`host ${host} (${address}) is not in registry.allowed_hosts`);
    }
  }
}

function refused(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', message: `endpoint refused: ${message}` });
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

async function resolve(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw refused(`host ${host} does not resolve`);
  }
}

/** An IPv4 address written as IPv6 (`::ffff:169.254.169.254`) is checked as the IPv4 address it is. */
function normalise(address: string): [string, 'ipv4' | 'ipv6'] {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return [mapped[1] as string, 'ipv4'];
  return [address, isIP(address) === 6 ? 'ipv6' : 'ipv4'];
}

/** `*.example.com` matches any subdomain of example.com; anything else matches exactly. */
function matchesName(pattern: string, name: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1));
  return name === pattern;
}

/** Sorts host entries into name patterns and address ranges; returns how many addresses were added. */
function addEntries(entries: readonly string[], names: string[], addresses: BlockList): number {
  let added = 0;
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const [base, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(base);
    if (family === 0) {
      names.push(entry);
      continue;
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) addresses.addAddress(base, type);
    else addresses.addSubnet(base, Number(prefix), type);
    added += 1;
  }
  return added;
}

function blockListOf(ranges: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return list;
}
