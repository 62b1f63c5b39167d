import { Secret } from '@nachos/plugin-sdk';
import { KeySealer } from './seal-key.js';

describe('KeySealer', () => {
  it('seals under the registry secret and opens only with the same one', () => {
    const sealed = new KeySealer(new Secret('one')).seal(new Secret('sk-provider'));
    expect(JSON.stringify(sealed)).not.toContain('sk-provider');
    expect(new KeySealer(new Secret('one')).open(sealed).reveal()).toBe('sk-provider');
    expect(() => new KeySealer(new Secret('two')).open(sealed)).toThrow(/another LLM_PROXY_REGISTRY_SECRET/);
    expect(() => new KeySealer(undefined).open(sealed)).toThrow(/not set/);
  });

  it('stores the key as given without a secret', () => {
    expect(new KeySealer(undefined).seal(new Secret('sk-plain'))).toEqual({ plain: 'sk-plain' });
  });
});
