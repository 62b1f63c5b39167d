/** A parsed configuration file: whatever its dialect, a table at the top level. */
export type ConfigTable = Record<string, unknown>;

/** What a dialect's file becomes: canonical settings, and what the translation could not carry over. */
export interface Translation {
  content: ConfigTable;
  /** Settings read but not applied, each named by the dialect's own key; logged at start. */
  warnings: string[];
}

/**
 * One foreign configuration format. `recognises` looks only at the file's shape (its keys), so a file is
 * read for what it is wherever it lives and whatever it is called; `translate` names any key it cannot
 * carry over by the dialect's own key path.
 */
export interface ConfigDialect {
  /** How the start-up log and `config:check` name the format. */
  name: string;
  recognises(content: ConfigTable): boolean;
  translate(content: ConfigTable): Translation;
}

export function isTable(value: unknown): value is ConfigTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key the translation has no place for: the file would not behave as its author wrote it. */
export class UntranslatableKey extends Error {
  constructor(dialect: string, key: string, why = 'has no nachos equivalent') {
    super(`${dialect} setting ${key} ${why}`);
    this.name = 'UntranslatableKey';
  }
}

/** Throws for every key of `table` not in `known`, naming it under `path`. */
export function refuseUnknownKeys(dialect: string, table: ConfigTable, path: string, known: readonly string[]): void {
  for (const key of Object.keys(table)) {
    if (!known.includes(key)) throw new UntranslatableKey(dialect, path ? `${path}.${key}` : key);
  }
}
