/** Tokens counted for an inline image (Anthropic's bound for one image), whose size is unknown without decoding it. */
const TOKENS_PER_IMAGE = 1600;
/** A string this long without a space is taken for inline data (base64), not text. */
const INLINE_DATA_LENGTH = 2_000;

export interface TokenEstimate {
  inputTokens: number;
  /** Input plus the output reserved until the real count is known. */
  totalTokens: number;
}

/**
 * A token estimate of a request body before it is parsed into any protocol's shape, for admission: four
 * characters a token over every string in it, inline images at a flat rate, plus the output the request
 * may generate (its own max tokens, at most `outputReserve`). Real usage replaces it afterwards.
 */
export function estimateBodyTokens(body: unknown, outputReserve: number): TokenEstimate {
  let characters = 0;
  let images = 0;
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.startsWith('data:') || (value.length >= INLINE_DATA_LENGTH && !/\s/.test(value.slice(0, INLINE_DATA_LENGTH)))) images += 1;
      else characters += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const item of Object.values(value)) pending.push(item);
    }
  }
  const inputTokens = Math.ceil(characters / 4) + images * TOKENS_PER_IMAGE;
  const requested = requestedOutputTokens(body);
  const output = requested === undefined ? outputReserve : Math.min(requested, outputReserve);
  return { inputTokens, totalTokens: inputTokens + output };
}

/** The output cap the request sets, in any protocol's field. */
function requestedOutputTokens(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const options = record.options as Record<string, unknown> | undefined;
  for (const value of [record.max_tokens, record.max_completion_tokens, record.max_output_tokens, options?.num_predict]) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}
