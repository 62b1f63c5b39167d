import { BlockList, isIP } from 'node:net';

/** The names Express's "trust proxy" also takes, as the ranges they stand for. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * The proxies `GATEWAY_TRUST_PROXY` names (addresses, CIDRs, or `loopback`/`linklocal`/`uniquelocal`), as
 * one set the connection cap can test a peer against. An entry that is none of these stops start-up.
 */
export function readTrustedProxies(setting: string): BlockList {
  const list = new BlockList();
  for (const entry of setting.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    for (const range of NAMED_RANGES[entry] ?? [entry]) {
      const [address = '', prefix] = range.split('/');
      const family = isIP(address);
      if (family === 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) {
        throw new Error(`GATEWAY_TRUST_PROXY: '${entry}' is not an address, a CIDR, loopback, linklocal or uniquelocal`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, Number(prefix), type);
    }
  }
  return list;
}

/** Whether a socket's peer address is in the set; IPv4 peers on a dual-stack socket arrive as `::ffff:a.b.c.d`. */
export function isTrustedPeer(list: BlockList, address: string): boolean {
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return list.check(plain, isIP(plain) === 4 ? 'ipv4' : 'ipv6');
}
