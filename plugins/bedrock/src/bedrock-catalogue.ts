import { readModelCatalogue, type ModelInfo } from '@nachos/plugin-sdk';

/**
 * The Bedrock models this plugin knows, with the names users type for them. Kept as data
 * (`bedrock-models.json`, copied into `dist/` by the build) so that a new model is a one-line change.
 *
 * Newer Claude models are served on demand only through cross-region inference profiles, so the
 * profile ids (`global.`, `us.`, `eu.`) are listed beside the plain model ids, and the aliases point
 * at the `global.` profiles, which any commercial region that offers the model can call. Aliases carry
 * a `bedrock-` prefix where a plain name (`claude-sonnet`) already belongs to the provider's own API.
 */
export const BEDROCK_CATALOGUE: readonly ModelInfo[] = readModelCatalogue(new URL('./bedrock-models.json', import.meta.url));

/** The catalogue entry for a model id or alias, if the model is known. */
export function findBedrockModel(model: string): ModelInfo | undefined {
  return BEDROCK_CATALOGUE.find((entry) => entry.id === model || entry.aliases?.includes(model) === true);
}
