/**
 * What the OpenAI models Azure hosts accept, decided from the model name (dated versions like
 * `o3-2025-04-16` included). Azure deploys the same models as OpenAI and rejects the same fields.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reasoning
 */

/** o-series and gpt-5 or later, except `gpt-5*-chat*`, which behave like gpt-4o. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (/^gpt-([5-9]|\d{2,})/.test(model) && !model.includes('-chat'));
}

/** gpt-5.1 and later take sampling parameters again, with `reasoning_effort: "none"`. */
export function takesSamplingWithoutReasoning(model: string): boolean {
  const version = /^gpt-(\d+)(?:\.(\d+))?/.exec(model);
  if (version === null) {
    return false;
  }
  const major = Number(version[1]);
  return major > 5 || (major === 5 && Number(version[2] ?? '0') >= 1);
}

/** o1-mini and o1-preview know neither a system nor a developer role. */
export function hasNoSystemRole(model: string): boolean {
  return /^o1-(mini|preview)/.test(model);
}

/** o3 and o4-mini refuse `stop`. */
export function refusesStopSequences(model: string): boolean {
  return /^o3(?!-mini)/.test(model) || /^o4-mini/.test(model);
}
