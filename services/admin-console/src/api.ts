/** The admin key lives in this tab's session storage only: never in a URL, a cookie or local storage. */
const KEY_NAME = 'nachos-admin-key';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_NAME);
}

export function rememberKey(key: string): void {
  sessionStorage.setItem(KEY_NAME, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_NAME);
}

/** Called when the gateway refuses the stored key (it changed, or this replica has another). */
let onRefused: () => void = () => {};
export function whenKeyRefused(handler: () => void): void {
  onRefused = handler;
}

/** Calls the gateway's admin API (`/admin/v1/…`) with the key in a header; errors carry the API's own message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<T> {
  const key = init.key ?? storedKey() ?? '';
  const response = await fetch(`v1/${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${key}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? null : JSON.stringify(init.body),
    cache: 'no-store',
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? `The gateway answered ${response.status}.`;
    if (response.status === 401 && init.key === undefined) onRefused();
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}
