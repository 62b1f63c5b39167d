const WHOLE_REFERENCE = /^\s*(?:\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|os\.environ\/([A-Za-z_][A-Za-z0-9_]*))\s*$/;

/**
 * A foreign `api_key` as nachos keeps it: a value that only names an environment variable
 * (`{{ env.X }}`, `${X}`, LiteLLM's `os.environ/X`) becomes `api_key_env = "X"`, so the key is read like
 * every other key (also from `X_FILE`) and never sits in the configuration; anything else is a literal key.
 */
export function keyReference(value: string): { api_key_env: string } | { api_key: string } {
  const match = WHOLE_REFERENCE.exec(value);
  const variable = match?.[1] ?? match?.[2] ?? match?.[3];
  return variable ? { api_key_env: variable } : { api_key: value };
}

/** The variable a LiteLLM `os.environ/X` value names, else undefined. */
export function environReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/.exec(value.trim())?.[1];
}
