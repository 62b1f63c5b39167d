import { ProviderError } from '@nachos/plugin-sdk';
import { toClientError } from './client-error.js';

describe('toClientError', () => {
  const rejected = new ProviderError({ kind: 'authentication', message: 'upstream said: invalid x-api-key' });

  it('answers a provider refusing the operator’s key as unavailable, telling the caller nothing about it', () => {
    expect(toClientError(rejected, { providerKey: undefined })).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(toClientError(rejected)).toMatchObject({ kind: 'unavailable', status: 503 });
  });

  it('answers a caller who brought their own provider key with a 401 about that key', () => {
    expect(toClientError(rejected, { providerKey: 'caller-key' })).toEqual({
      kind: 'authentication',
      status: 401,
      message: 'The provider rejected the provider API key this request brought.',
      code: 'invalid_provider_key',
    });
  });
});
