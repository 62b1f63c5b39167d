import { readFileSync } from 'node:fs';
import type { ModelInfo } from '@nachos/plugin-sdk';

/**
 * The catalogue in `models.json` at the package root, read relative to this module so that it is
 * found both from `src/` (tests) and from `dist/` (the built plugin).
 *
 * Ollama serves whatever has been pulled (listed by `/api/tags`); these entries only lend context
 * lengths and capabilities to common local models. Aliases are Ollama tags, never names a cloud
 * provider uses.
 */
export function loadOllamaCatalogue(): ModelInfo[] {
  const catalogue = JSON.parse(readFileSync(new URL('../models.json', import.meta.url), 'utf8')) as unknown;
  if (!Array.isArray(catalogue) || !catalogue.every((entry) => typeof (entry as ModelInfo | null)?.id === 'string')) {
    throw new Error('the ollama plugin\'s models.json must be an array of models with an "id"');
  }
  return catalogue as ModelInfo[];
}
