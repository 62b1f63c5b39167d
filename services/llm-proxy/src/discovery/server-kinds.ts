/** The local model servers discovery knows; each is also the id of the plugin that speaks to it. */
export const SERVER_KINDS = ['ollama', 'lmstudio', 'vllm', 'litellm'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Where a server of each kind answers, as discovery builds the endpoint's base URL. */
export function serverBaseUrl(kind: ServerKind, origin: string): string {
  return kind === 'ollama' ? origin : `${origin}/v1`;
}

/** `ollama=11434` entries from `discovery.ports`, in order. */
export function parseServerPorts(entries: readonly string[]): Array<{ kind: ServerKind; port: number }> {
  return entries.map((entry) => {
    const [kind, port] = entry.trim().split('=') as [ServerKind, string];
    return { kind, port: Number(port) };
  });
}
