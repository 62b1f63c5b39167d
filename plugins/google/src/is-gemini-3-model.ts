/**
 * Whether a model is of the Gemini 3 family, which thinks by level (`thinkingLevel`) rather than by
 * budget and refuses replayed function calls without a thought signature.
 */
export function isGemini3Model(model: string): boolean {
  return /^(models\/)?gemini-3/.test(model);
}
