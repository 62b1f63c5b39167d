/**
 * The model names the fake upstream serves; the name says how it answers, so every target (nginx, the
 * floors, nachos) can be driven with the same requests and the fake needs no side channel.
 */

/** Answers at once: one JSON body, or for `stream: true` every chunk in one write. Non-streaming load. */
export const INSTANT_MODEL = 'bench-model';

/** The text of every answer from the instant model, streamed or not. */
export const INSTANT_TEXT = 'Hello from the benchmark upstream.';

const PACED = /^bench-stream-(\d+)-(\d+)-(\d+)$/;

/**
 * A streamed model paced as `{firstMs, gapMs, tokens}`: the first token `firstMs` after the request, then
 * one every `gapMs`, `tokens` in all.
 */
export function pacedModel({ firstMs, gapMs, tokens }) {
  return `bench-stream-${firstMs}-${gapMs}-${tokens}`;
}

/** The short stream every target must relay faithfully before anything is measured. */
export const CHECK_PACING = { firstMs: 10, gapMs: 1, tokens: 5 };

/** The pacing a model name asks for, or undefined for a name that is not a paced model. */
export function pacingOf(model) {
  const match = PACED.exec(model);
  return match ? { firstMs: Number(match[1]), gapMs: Number(match[2]), tokens: Number(match[3]) } : undefined;
}
