/** Whether `name` matches a pattern where `*` stands for any run of characters (`gpt-4o*`, `anthropic/*`). */
export function matchesModelPattern(pattern: string, name: string): boolean {
  const expression = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return expression.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
