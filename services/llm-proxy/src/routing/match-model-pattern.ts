/** Compiled patterns, kept because the same few (from keys and rules) are matched on every request. */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 1_024;

/** Whether `name` matches a pattern where `*` stands for any run of characters (`gpt-4o*`, `anthropic/*`). */
export function matchesModelPattern(pattern: string, name: string): boolean {
  let expression = compiled.get(pattern);
  if (!expression) {
    expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, expression);
  }
  return expression.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
