import { EndpointTargetPolicy } from './endpoint-target-policy.js';

const OWN_PORT = 50123;
const policy = (settings: Partial<ConstructorParameters<typeof EndpointTargetPolicy>[0]> = {}) =>
  new EndpointTargetPolicy({ allowed_hosts: [], denied_hosts: [], allow_link_local: false, allow_loopback: false, ...settings }, [OWN_PORT]);

describe('EndpointTargetPolicy', () => {
  it('accepts private addresses by default: model servers on the network live there', async () => {
    await expect(policy().checkUrl('http://192.168.1.20:11434')).resolves.toBeUndefined();
  });

  it('refuses loopback, this machine and its own ports unless allow_loopback says so', async () => {
    await expect(policy().checkUrl('http://127.0.0.1:8000/v1')).rejects.toThrow(/this machine .*allow_loopback/);
    await expect(policy().checkUrl('http://localhost:1234/v1')).rejects.toThrow(/this machine/);
    await expect(policy().checkUrl('http://[::1]:1234/v1')).rejects.toThrow(/this machine/);
    await expect(policy().checkUrl('http://[::ffff:127.0.0.1]:1234/v1')).rejects.toThrow(/this machine/);
    await expect(policy().checkUrl(`http://192.168.1.20:${OWN_PORT}/`)).rejects.toThrow(/llm-proxy's own ports/);
    expect(() => policy().checkAddress('rebound.example', '127.0.0.1')).toThrow(/this machine/);
    const allowed = policy({ allow_loopback: true });
    await expect(allowed.checkUrl('http://127.0.0.1:8000/v1')).resolves.toBeUndefined();
    await expect(allowed.checkUrl('http://localhost:1234/v1')).resolves.toBeUndefined();
  });

  it('refuses link-local and metadata addresses, also written as IPv4-mapped IPv6, unless allowed', async () => {
    for (const url of ['http://169.254.169.254/latest', 'http://[::ffff:a9fe:a9fe]/', 'http://[fe80::1]/', 'http://[fd00:ec2::254]/', 'http://metadata.goog/']) {
      await expect(policy().checkUrl(url)).rejects.toMatchObject({ kind: 'invalid_request' });
    }
    await expect(policy({ allow_link_local: true }).checkUrl('http://169.254.169.254/latest')).resolves.toBeUndefined();
  });

  it('checks what a name resolves to, and again at connect time', async () => {
    const denyLoopback = policy({ denied_hosts: ['127.0.0.0/8', '::1'], allow_loopback: true });
    await expect(denyLoopback.checkUrl('http://localhost:8000/v1')).rejects.toThrow(/resolves to .*denied/);
    expect(() => denyLoopback.checkAddress('rebound.example', '127.0.0.1')).toThrow(/denied/);
    expect(() => policy().checkAddress('rebound.example', '169.254.169.254')).toThrow(/link-local/);
  });

  it('with an allow list, accepts only the names and ranges on it', async () => {
    const allow = policy({ allowed_hosts: ['*.models.example', '127.0.0.1'], allow_loopback: true });
    await expect(allow.checkUrl('http://127.0.0.1:8000/v1')).resolves.toBeUndefined();
    expect(() => allow.checkAddress('gpu.models.example', '10.0.0.9')).not.toThrow();
    expect(() => allow.checkAddress('other.example', '10.0.0.9')).toThrow(/not in registry.allowed_hosts/);
  });

  it('refuses other schemes, credentials in the URL and denied names', async () => {
    await expect(policy().checkUrl('ftp://127.0.0.1/')).rejects.toThrow(/http or https/);
    await expect(policy().checkUrl('http://a:b@127.0.0.1/')).rejects.toThrow(/credentials/);
    await expect(policy({ denied_hosts: ['*.corp.example'] }).checkUrl('https://llm.corp.example/v1')).rejects.toThrow(/denied/);
    await expect(policy().checkUrl('not a url')).rejects.toThrow(/absolute/);
  });
});
