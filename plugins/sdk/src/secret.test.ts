import { inspect } from 'node:util';
import { Secret } from './secret.js';

describe('Secret', () => {
  const secret = new Secret('sk-canary-123');

  it('never prints its value', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ key: secret })).toBe('{"key":"[redacted]"}');
    expect(inspect({ key: secret })).not.toContain('sk-canary');
  });

  it('reveals the value on request', () => {
    expect(secret.reveal()).toBe('sk-canary-123');
  });
});
