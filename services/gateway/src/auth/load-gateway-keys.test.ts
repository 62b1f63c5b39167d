import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayKeys } from './load-gateway-keys.js';

describe('loadGatewayKeys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nachos-keys-'));

  it('names NACHOS_API_KEYS entries by position and reads [[auth.keys]] from env, _FILE or a file', () => {
    writeFileSync(join(dir, 'list'), 'sk-one, sk-two,\n');
    writeFileSync(join(dir, 'team'), 'sk-team\n');
    writeFileSync(join(dir, 'ci'), 'sk-ci\n');
    const keys = loadGatewayKeys({ NACHOS_API_KEYS_FILE: join(dir, 'list'), TEAM_KEY_FILE: join(dir, 'team'), OPS_KEY: 'sk-ops' }, [
      { name: 'team', key_env: 'TEAM_KEY', models: ['gpt-*'], rate_limit: { requests_per_minute: 5 } },
      { name: 'ops', key_env: 'OPS_KEY' },
      { name: 'ci', key_file: join(dir, 'ci') },
    ]);
    expect(keys.map((key) => [key.name, key.secret.reveal()])).toEqual([
      ['api-key-1', 'sk-one'],
      ['api-key-2', 'sk-two'],
      ['team', 'sk-team'],
      ['ops', 'sk-ops'],
      ['ci', 'sk-ci'],
    ]);
    expect(keys[2]).toMatchObject({ models: ['gpt-*'], limits: { requestsPerMinute: 5 } });
  });

  it('stops start-up for a key it cannot read, naming the variable or file and never a value', () => {
    expect(() => loadGatewayKeys({}, [{ name: 'team', key_env: 'TEAM_KEY' }])).toThrow('auth.keys "team": TEAM_KEY (or TEAM_KEY_FILE) is not set');
    expect(() => loadGatewayKeys({}, [{ name: 'ci', key_file: join(dir, 'missing') }])).toThrow(/auth.keys "ci": key_file cannot be read \(ENOENT\)/);
    expect(() => loadGatewayKeys({ NACHOS_API_KEYS: 'sk-x', NACHOS_API_KEYS_FILE: join(dir, 'list') }, [])).toThrow(/both NACHOS_API_KEYS and NACHOS_API_KEYS_FILE/);
  });

  it('refuses one value under two names', () => {
    const run = () => loadGatewayKeys({ NACHOS_API_KEYS: 'sk-same', A: 'sk-same' }, [{ name: 'a', key_env: 'A' }]);
    expect(run).toThrow('gateway keys "api-key-1" and "a" have the same value');
    expect(run).toThrow(expect.objectContaining({ message: expect.not.stringContaining('sk-same') }));
  });
});
