/**
 * Joins a base URL (which, like the OpenAI SDK's `OPENAI_BASE_URL`, includes the version path:
 * `https://api.openai.com/v1`) and a path, tolerating a trailing slash on the base and a leading one
 * on the path. A query string on the base (Azure's `?api-version=`) stays at the end.
 */
export function joinUrl(baseUrl: string, path: string): string {
  const queryStart = baseUrl.indexOf('?');
  const base = queryStart === -1 ? baseUrl : baseUrl.slice(0, queryStart);
  const query = queryStart === -1 ? '' : baseUrl.slice(queryStart);
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}${query}`;
}
