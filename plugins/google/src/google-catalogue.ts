import { readModelCatalogue, type ModelInfo } from '@nachos/plugin-sdk';

/**
 * The Gemini models this plugin knows, with the names users type for them (`gemini` is Flash). Kept
 * as data (`google-models.json`, copied into `dist/` by the build) so that a new model is a one-line
 * change; `GET /v1beta/models` reports what a key can use right now.
 */
export const GOOGLE_CATALOGUE: readonly ModelInfo[] = readModelCatalogue(new URL('./google-models.json', import.meta.url));
