import type { Request } from 'express';
import { verifyJsonDepth } from './json-depth.js';

const verify = (body: string, depth: number) => () => verifyJsonDepth(depth)({} as Request, undefined, Buffer.from(body));

describe('verifyJsonDepth', () => {
  it('accepts bodies within the depth and refuses deeper ones', () => {
    expect(verify('{"a":[{"b":1}]}', 3)).not.toThrow();
    expect(verify('{"a":[{"b":[1]}]}', 3)).toThrow('nested deeper than 3');
    expect(verify(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 64)).toThrow('nested deeper than 64');
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(verify(JSON.stringify({ text: '[[[[{{{{ \\" [[[[' }), 2)).not.toThrow();
  });
});
