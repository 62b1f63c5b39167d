/**
 * The API root with its version path. Our default is `https://generativelanguage.googleapis.com/v1beta`;
 * a base given as a bare host (the form Google's SDKs take, adding the version themselves) gets
 * `/v1beta`, and one that already ends in a version segment (`/v1`, `/v1beta`) is kept as is.
 */
export function resolveGeminiApiBase(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  return VERSION_SEGMENT.test(new URL(trimmed).pathname) ? trimmed : `${trimmed}/v1beta`;
}

const VERSION_SEGMENT = /\/v\d+[a-z0-9]*$/i;
