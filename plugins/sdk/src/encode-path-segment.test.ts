import { encodePathSegment, encodePathSegments } from './encode-path-segment.js';
import { joinUrl } from './join-url.js';
import { ProviderError } from './provider-error.js';

describe('encodePathSegment', () => {
  const base = 'https://generativelanguage.googleapis.com/v1beta';
  const pathOf = (segment: string) => new URL(joinUrl(base, `models/${segment}:generateContent`)).pathname;

  it('keeps every value inside one segment under the API root', () => {
    for (const model of ['../../__log', '%2e%2e/%2e%2e/__log', '%2E%2E', 'a/b', 'x?key=1', 'y#z', '.%2e', '..%2f..']) {
      const path = pathOf(encodePathSegment(model, 'model id'));
      expect(path.startsWith('/v1beta/models/')).toBe(true);
      expect(path.endsWith(':generateContent')).toBe(true);
      expect(path.slice('/v1beta/models/'.length).includes('/')).toBe(false);
      expect(decodeURIComponent(path.slice('/v1beta/models/'.length, -':generateContent'.length))).toBe(model);
    }
  });

  it('refuses dot segments and empty values as invalid requests', () => {
    for (const value of ['.', '..', '']) {
      const failure = (() => {
        try {
          encodePathSegment(value, 'model id', 'google');
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(ProviderError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ kind: 'invalid_request', providerId: 'google' });
      expect((failure as Error).message).toContain('model id');
    }
  });
});

describe('encodePathSegments', () => {
  it('keeps the separators of a resource name and refuses dot segments in it', () => {
    expect(encodePathSegments('tunedModels/my model')).toBe('tunedModels/my%20model');
    expect(() => encodePathSegments('google/../../__log')).toThrow(ProviderError);
    expect(() => encodePathSegments('models//x')).toThrow(ProviderError);
    expect(encodePathSegments('%2e%2e/%2e%2e/__log')).toBe('%252e%252e/%252e%252e/__log');
  });
});
