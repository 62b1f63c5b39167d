import { isTable, UntranslatableKey, type ConfigDialect, type ConfigTable } from './config-dialect.js';

/**
 * nachos' own format, with the two things its users write that the schema alone would misread:
 * - `profile_order = [...]` written after the last `[[llm.profiles]]` table, which TOML places inside that
 *   table; it belongs to `[llm]`.
 * - `provider = "custom"` in `[llm]`: an OpenAI-compatible server at `[llm] base_url`, kept as an endpoint
 *   named `custom` so that `custom:<model>` in `fallback_order` and profiles with `provider = "custom"` find it.
 */
export const nachosDialect: ConfigDialect = {
  name: 'nachos',
  recognises: () => true,
  translate(content) {
    const llm = content.llm;
    if (!isTable(llm)) return { content, warnings: [] };
    const next: ConfigTable = { ...llm };
    liftProfileOrder(next);
    const translated: ConfigTable = { ...content, llm: next };
    if (next.provider === 'custom') {
      const endpoints = isTable(content.endpoints) ? { ...content.endpoints } : {};
      if (endpoints.custom === undefined) {
        if (typeof next.base_url !== 'string' || next.base_url === '') {
          throw new UntranslatableKey('nachos', 'llm.provider = "custom"', 'needs llm.base_url (the OpenAI-compatible server)');
        }
        endpoints.custom = { provider: 'openai-compatible', base_url: next.base_url };
        delete next.base_url;
        translated.endpoints = endpoints;
      }
    }
    return { content: translated, warnings: [] };
  },
};

function liftProfileOrder(llm: ConfigTable): void {
  if (!Array.isArray(llm.profiles) || llm.profiles.length === 0) return;
  const profiles = [...llm.profiles];
  const last = profiles[profiles.length - 1];
  if (!isTable(last) || last.profile_order === undefined) return;
  const { profile_order: order, ...rest } = last;
  if (llm.profile_order !== undefined) {
    throw new UntranslatableKey('nachos', 'llm.profile_order', 'is given twice (in [llm] and after the last [[llm.profiles]])');
  }
  profiles[profiles.length - 1] = rest;
  llm.profiles = profiles;
  llm.profile_order = order;
}
