import { type OpenAIChatBody, type OpenAIChatMessage, ProviderError } from '@nachos/plugin-sdk';
import type { HostPreset } from './host-preset.js';
import { mergeAdjacentTurns } from './merge-adjacent-turns.js';
import { toNineAlphanumericId } from './to-nine-alphanumeric-id.js';

/**
 * Fits a converted OpenAI body to one host's rules (its preset's quirks), so that a request any
 * client wrote for OpenAI is one the host accepts. Renames come before drops, so a field a host knows
 * under another name is moved rather than lost.
 */
export function applyHostQuirks(body: OpenAIChatBody, preset: HostPreset): OpenAIChatBody {
  const { quirks } = preset;
  const fitted: OpenAIChatBody = { ...body };
  if (quirks.tools === false) {
    refuseToolHistory(fitted.messages, preset);
    delete fitted.tools;
    delete fitted.tool_choice;
    delete fitted.parallel_tool_calls;
  }
  if (quirks.streamOptions === false) {
    delete fitted.stream_options;
  }
  if (quirks.messageNames === false) {
    fitted.messages = fitted.messages.map(withoutName);
  }
  if (quirks.toolCallIdFormat === 'nine-alphanumeric') {
    fitted.messages = fitted.messages.map((message) => withToolCallIds(message, toNineAlphanumericId));
  }
  if (quirks.alternatingRoles === true) {
    fitted.messages = mergeAdjacentTurns(fitted.messages);
  }
  for (const [from, to] of Object.entries(quirks.renameFields ?? {})) {
    if (fitted[from] !== undefined) {
      fitted[to] ??= fitted[from];
      delete fitted[from];
    }
  }
  for (const field of quirks.dropFields ?? []) {
    delete fitted[field];
  }
  return fitted;
}

/**
 * Without tool calling, a history of calls and results cannot be sent in any form the host reads;
 * refusing costs no upstream call and says why, where a 400 from the host would not.
 */
function refuseToolHistory(messages: readonly OpenAIChatMessage[], preset: HostPreset): void {
  const usesTools = messages.some((message) => message.role === 'tool' || (message.role === 'assistant' && message.tool_calls !== undefined));
  if (usesTools) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `${preset.displayName} does not support tool calls, and this conversation contains some`,
      providerId: preset.id,
    });
  }
}

function withoutName(message: OpenAIChatMessage): OpenAIChatMessage {
  if (!('name' in message)) {
    return message;
  }
  const copy = { ...message };
  delete copy.name;
  return copy;
}

function withToolCallIds(message: OpenAIChatMessage, rewrite: (id: string) => string): OpenAIChatMessage {
  if (message.role === 'tool') {
    return { ...message, tool_call_id: rewrite(message.tool_call_id) };
  }
  if (message.role === 'assistant' && message.tool_calls !== undefined) {
    return { ...message, tool_calls: message.tool_calls.map((call) => ({ ...call, id: rewrite(call.id) })) };
  }
  return message;
}
