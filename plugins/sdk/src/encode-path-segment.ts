import { ProviderError } from './provider-error.js';

/**
 * Encodes a value a plugin puts into a URL path (a model id, a deployment name) as exactly one path
 * segment: every `/`, `?`, `#` and `%` is percent-encoded, so the value can neither add segments nor
 * start a query. `.` and `..` are refused rather than encoded, because URL parsers resolve them (and
 * their `%2e` spellings) as dot segments, which would move the request elsewhere on the provider's
 * host with the key attached. An empty value is refused too: it would silently drop a segment.
 *
 * Fails with `invalid_request`, so the caller gets a 400 and no upstream call is made.
 */
export function encodePathSegment(value: string, what = 'path segment', providerId?: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `${JSON.stringify(value)} cannot be used as a ${what}`,
      ...(providerId === undefined ? {} : { providerId }),
    });
  }
  return encodeURIComponent(value);
}

/**
 * Encodes a resource name made of several segments (Gemini's `tunedModels/my-model`) segment by
 * segment with {@link encodePathSegment}: its slashes stay separators, and no segment can be a dot
 * segment, so the name stays below the API root it is joined to.
 */
export function encodePathSegments(value: string, what = 'path', providerId?: string): string {
  return value
    .split('/')
    .map((segment) => encodePathSegment(segment, what, providerId))
    .join('/');
}
