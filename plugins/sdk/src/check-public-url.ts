import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a client-supplied URL must not reach from llm-proxy, the one container with egress:
 * loopback, private and carrier-grade NAT networks, link-local (cloud metadata services), unique-local
 * IPv6 and the unspecified addresses.
 */
const PRIVATE_RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
];

const PRIVATE = new BlockList();
for (const [address, prefix, family] of PRIVATE_RANGES) PRIVATE.addSubnet(address, prefix, family);

/**
 * Why a URL a client gave (an image to download) may not be fetched, or undefined when it may: it must
 * be http(s) and its host must resolve only to public addresses. Checked before the request; a name
 * that re-resolves elsewhere between the check and the connection is not caught, so operators who need
 * that guarantee turn URL downloads off.
 */
export async function findPrivateUrlProblem(raw: string): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    return `names a host that does not resolve (${url.hostname})`;
  }
  const blocked = addresses.find((address) => isPrivateAddress(address));
  return blocked === undefined ? undefined : `points at a private or local address (${url.hostname})`;
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  return PRIVATE.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}
