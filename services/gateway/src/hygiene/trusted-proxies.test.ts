import { isTrustedPeer, readTrustedProxies } from './trusted-proxies.js';

describe('trusted proxies', () => {
  it('trusts nobody when the setting is empty', () => {
    const none = readTrustedProxies('');
    expect(isTrustedPeer(none, '127.0.0.1')).toBe(false);
    expect(isTrustedPeer(none, '::1')).toBe(false);
  });

  it('reads addresses, CIDRs and the names Express knows, for IPv4 peers on dual-stack sockets too', () => {
    const list = readTrustedProxies('10.0.0.0/8, 192.0.2.7, loopback');
    expect(isTrustedPeer(list, '10.1.2.3')).toBe(true);
    expect(isTrustedPeer(list, '::ffff:10.1.2.3')).toBe(true);
    expect(isTrustedPeer(list, '192.0.2.7')).toBe(true);
    expect(isTrustedPeer(list, '192.0.2.8')).toBe(false);
    expect(isTrustedPeer(list, '::1')).toBe(true);
    expect(isTrustedPeer(list, '172.16.0.1')).toBe(false);
  });

  it('stops start-up on an entry that is none of these', () => {
    expect(() => readTrustedProxies('traefik')).toThrow(/GATEWAY_TRUST_PROXY: 'traefik' is not an address/);
    expect(() => readTrustedProxies('10.0.0.0/abc')).toThrow(/GATEWAY_TRUST_PROXY/);
  });
});
