/**
 * What OpenAI's model families accept, decided from the model id alone (dated snapshots like
 * `o3-2025-04-16` included).
 *
 * @see https://platform.openai.com/docs/guides/reasoning
 */

/** o-series and gpt-5 (or later) models, except the `gpt-5*-chat*` ones that behave like gpt-4o. */
export function isOpenAIReasoningModel(model: string): boolean {
  if (/^o\d/.test(model)) {
    return true;
  }
  return /^gpt-([5-9]|\d{2,})/.test(model) && !model.includes('-chat');
}

/**
 * gpt-5.1 and later accept sampling parameters again, but only with `reasoning_effort: "none"`,
 * where they behave like a chat model.
 */
export function acceptsSamplingWithoutReasoning(model: string): boolean {
  const version = /^gpt-(\d+)(?:\.(\d+))?/.exec(model);
  if (version === null) {
    return false;
  }
  const major = Number(version[1]);
  const minor = Number(version[2] ?? '0');
  return major > 5 || (major === 5 && minor >= 1);
}

/** The first reasoning models had no system or developer role at all. */
export function lacksSystemRole(model: string): boolean {
  return /^o1-(mini|preview)/.test(model);
}

/** o3 and o4-mini reject `stop`, per the API reference. */
export function rejectsStopSequences(model: string): boolean {
  return /^o3(?!-mini)/.test(model) || /^o4-mini/.test(model);
}
