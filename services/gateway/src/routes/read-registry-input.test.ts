import { readRegistryInput } from './read-registry-input.js';

describe('readRegistryInput', () => {
  it('takes name for id, as LLMProxy’s registry API writes it', () => {
    expect(readRegistryInput({ name: 'lab-b', base_url: 'http://127.0.0.1:8000/v1' })).toEqual({ id: 'lab-b', baseUrl: 'http://127.0.0.1:8000/v1' });
    expect(readRegistryInput({ id: 'lab', name: 'lab', base_url: 'http://127.0.0.1:8000/v1' })).toMatchObject({ id: 'lab' });
  });

  it('refuses two different ids, and none at all', () => {
    expect(() => readRegistryInput({ id: 'a', name: 'b', base_url: 'http://127.0.0.1:1/v1' })).toThrow(/"id" or "name", not two different values/);
    expect(() => readRegistryInput({ base_url: 'http://127.0.0.1:1/v1' })).toThrow(/id must be a non-empty string/);
  });

  it("takes a rate limit in the config file's names, and refuses one that is not a count", () => {
    expect(readRegistryInput({ id: 'lab', base_url: 'http://127.0.0.1:1/v1', rate_limit: { rpm: 30, tpm: 40_000 } })).toMatchObject({ rateLimit: { rpm: 30, tpm: 40_000 } });
    expect(() => readRegistryInput({ id: 'lab', base_url: 'http://127.0.0.1:1/v1', rate_limit: { rpm: 0 } })).toThrow(/rate_limit.rpm must be a whole number/);
    expect(() => readRegistryInput({ id: 'lab', base_url: 'http://127.0.0.1:1/v1', rate_limit: { rps: 3 } })).toThrow(/Unknown field "rate_limit.rps"/);
    expect(() => readRegistryInput({ id: 'lab', base_url: 'http://127.0.0.1:1/v1', rate_limit: 30 })).toThrow(/rate_limit must be an object/);
  });
});
