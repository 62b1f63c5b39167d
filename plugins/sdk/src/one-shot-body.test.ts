import { OneShotBody } from './one-shot-body.js';

describe('OneShotBody', () => {
  it('gives its bytes once, then nothing however often it is read', () => {
    const bytes = Buffer.from('{"prompt":"long"}');
    const body = new OneShotBody(bytes);
    expect([...body]).toEqual([bytes]);
    expect([...body]).toEqual([]);
    expect(body.next()).toEqual({ done: true, value: undefined });
  });
});
