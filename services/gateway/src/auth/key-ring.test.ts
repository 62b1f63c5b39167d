import { Secret } from '@nachos/plugin-sdk';
import { KeyRing } from './key-ring.js';
import { isModelAllowed } from './model-access.js';
import { readPresentedKey } from './read-presented-key.js';

const key = (name: string, value: string) => ({ name, secret: new Secret(value), models: undefined, limits: {} });

describe('KeyRing', () => {
  const ring = new KeyRing([key('a', 'sk-gw-alpha'), key('b', 'sk-gw-beta')]);

  it('finds the key whose value was presented', () => {
    expect(ring.find('sk-gw-alpha')?.name).toBe('a');
    expect(ring.find('sk-gw-beta')?.name).toBe('b');
  });

  it('finds nothing for a wrong, shorter, longer or empty value', () => {
    for (const value of ['sk-gw-alph', 'sk-gw-alphaa', 'SK-GW-ALPHA', '', 'sk-gw-beta ']) expect(ring.find(value)).toBeUndefined();
  });
});

describe('readPresentedKey', () => {
  const names = ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key'];

  it('reads the bearer token, or each SDK’s own header', () => {
    expect(readPresentedKey({ authorization: 'Bearer sk-1' }, names)).toEqual({ header: 'authorization', value: 'sk-1' });
    expect(readPresentedKey({ authorization: 'bearer   sk-1 ' }, names)).toEqual({ header: 'authorization', value: 'sk-1' });
    expect(readPresentedKey({ 'x-api-key': 'sk-2' }, names)).toEqual({ header: 'x-api-key', value: 'sk-2' });
    expect(readPresentedKey({ 'api-key': 'sk-3' }, names)).toEqual({ header: 'api-key', value: 'sk-3' });
    expect(readPresentedKey({ 'x-goog-api-key': 'sk-4' }, names)).toEqual({ header: 'x-goog-api-key', value: 'sk-4' });
  });

  it('takes the headers in the configured order and skips empty ones', () => {
    expect(readPresentedKey({ authorization: 'Bearer ', 'x-api-key': 'sk-2' }, names)).toEqual({ header: 'x-api-key', value: 'sk-2' });
    expect(readPresentedKey({ authorization: 'Bearer sk-1', 'x-api-key': 'sk-2' }, ['x-api-key', 'authorization'])?.value).toBe('sk-2');
    expect(readPresentedKey({}, names)).toBeUndefined();
  });
});

describe('isModelAllowed', () => {
  it('allows every model without patterns, and matches * patterns without regard to case', () => {
    expect(isModelAllowed(undefined, 'anything')).toBe(true);
    expect(isModelAllowed(['gpt-4o*'], 'gpt-4o-mini')).toBe(true);
    expect(isModelAllowed(['gpt-4o*'], 'GPT-4O')).toBe(true);
    expect(isModelAllowed(['gpt-4o*'], 'gpt-4')).toBe(false);
    expect(isModelAllowed(['openai/*', 'mock'], 'openai/gpt-5')).toBe(true);
    expect(isModelAllowed(['openai/*', 'mock'], 'mock-1')).toBe(false);
    expect(isModelAllowed([], 'mock')).toBe(false);
  });

  it('treats regex characters in a pattern literally', () => {
    expect(isModelAllowed(['a.b'], 'axb')).toBe(false);
    expect(isModelAllowed(['a.b'], 'a.b')).toBe(true);
    expect(isModelAllowed(['(x)+'], 'xx')).toBe(false);
  });
});
