/**
 * Whether a key's model patterns allow `model`. A pattern is a model name in which `*` stands for any run
 * of characters (`gpt-4o*`, `openai/*`, `claude-*`), compared without regard to case; no patterns means
 * every model.
 */
export function isModelAllowed(patterns: readonly string[] | undefined, model: string): boolean {
  if (patterns === undefined) return true;
  return patterns.some((pattern) => patternToRegExp(pattern).test(model));
}

const compiled = new Map<string, RegExp>();

function patternToRegExp(pattern: string): RegExp {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regExp = new RegExp(`^${body}$`, 'i');
    compiled.set(pattern, regExp);
  }
  return regExp;
}
