/** Where an upstream request goes, in the form undici's `dispatch` takes. */
export interface UpstreamTarget {
  readonly origin: string;
  /** Path and query. */
  readonly path: string;
}

/** Enough for every endpoint's few URLs; names that come from requests (a model in a path) cannot grow it past this. */
const MAX_REMEMBERED = 256;

const remembered = new Map<string, UpstreamTarget>();

/**
 * The origin and path of an upstream URL, parsed once per distinct URL: a plugin sends the same few URLs
 * (one per endpoint and operation) call after call, and WHATWG URL parsing is a visible share of a
 * short call's CPU. The memo starts over when full. An invalid URL throws `new URL`'s error every time.
 */
export function upstreamTarget(url: string): UpstreamTarget {
  let target = remembered.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(url, target);
  }
  return target;
}
