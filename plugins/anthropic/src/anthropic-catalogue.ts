import { readModelCatalogue, type ModelInfo } from '@nachos/plugin-sdk';

/**
 * The Claude models this plugin knows, with the names users type for them. Kept as data
 * (`anthropic-models.json`, copied into `dist/` by the build) so that a new model is a one-line
 * change; sizes are given only where Anthropic published them, since `GET /v1/models` reports the
 * live values.
 */
export const ANTHROPIC_CATALOGUE: readonly ModelInfo[] = readModelCatalogue(new URL('./anthropic-models.json', import.meta.url));

/** The catalogue entry for a model id or alias, if the model is known. */
export function findAnthropicModel(model: string): ModelInfo | undefined {
  return ANTHROPIC_CATALOGUE.find((entry) => entry.id === model || entry.aliases?.includes(model) === true);
}
