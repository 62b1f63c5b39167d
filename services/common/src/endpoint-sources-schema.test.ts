import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNachosConfig } from './load-nachos-config.js';

function load(env: Record<string, string>, toml = '') {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-sources-'));
  writeFileSync(join(dir, 'nachos.toml'), toml);
  return loadNachosConfig(env, dir);
}

describe('discovery and registry settings', () => {
  it('turns local discovery off with LLM_PROXY_LOCAL_DISCOVERY=0 or discovery.local_scan = false', () => {
    expect(load({}).discovery.local_scan).toBe(true);
    expect(load({ LLM_PROXY_LOCAL_DISCOVERY: '0' }).discovery.local_scan).toBe(false);
    expect(load({ LLM_PROXY_LOCAL_DISCOVERY: 'off' }).discovery.local_scan).toBe(false);
    expect(load({ LLM_PROXY_LOCAL_DISCOVERY: '1' }).discovery.local_scan).toBe(true);
    expect(load({}, '[discovery]\nlocal_scan = false\n').discovery.local_scan).toBe(false);
  });

  it('names the key of a bad switch or port list', () => {
    expect(() => load({ LLM_PROXY_LOCAL_DISCOVERY: 'maybe' })).toThrow(/discovery\.local_scan: must be true or false/);
    expect(() => load({ LLM_PROXY_DISCOVERY_PORTS: 'ollama=11434,foo=1' })).toThrow(/discovery\.ports: must be a list of provider=port/);
  });

  it('reads peers, ports and host lists as comma lists', () => {
    const config = load({ LLM_PROXY_DISCOVERY_PEERS: 'gpu-box,10.0.0.7:8001', LLM_PROXY_DISCOVERY_PORTS: 'ollama=31434', LLM_PROXY_REGISTRY_DENIED_HOSTS: '10.0.0.0/8' });
    expect(config.discovery.peers).toEqual(['gpu-box', '10.0.0.7:8001']);
    expect(config.discovery.ports).toEqual(['ollama=31434']);
    expect(config.registry.denied_hosts).toEqual(['10.0.0.0/8']);
    expect(config.registry.allow_link_local).toBe(false);
  });
});
