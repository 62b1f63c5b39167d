/**
 * Layers header sets, later ones winning, with names compared case-insensitively (`Authorization`
 * from an operator replaces `authorization` from a plugin). Undefined layers are skipped, so a plugin
 * can pass `endpoint.headers` and `options.headers` as they come.
 */
export function mergeHeaders(
  ...layers: ReadonlyArray<Readonly<Record<string, string | undefined>> | undefined>
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const layer of layers) {
    if (layer === undefined) {
      continue;
    }
    for (const [name, value] of Object.entries(layer)) {
      if (value !== undefined) {
        merged[name.toLowerCase()] = value;
      }
    }
  }
  return merged;
}
