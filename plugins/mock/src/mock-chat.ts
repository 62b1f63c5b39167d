import { randomUUID } from 'node:crypto';
import { type CallOptions, type ChatRequest, ProviderError, type StreamEvent, type ToolDefinition } from '@nachos/plugin-sdk';
import { buildMockReasoning, buildMockReply } from './build-mock-reply.js';
import { buildMockToolArguments } from './build-mock-tool-arguments.js';
import { countMessageWords } from './count-message-words.js';
import { MOCK_EMBEDDING_MODEL } from './mock-catalogue.js';
import type { MockOptions } from './mock-options.js';
import { sleepUnlessAborted } from './sleep-unless-aborted.js';

/**
 * The mock's answer to a chat request, as a stream that follows the canonical grammar. Every delta it
 * emits (a word of text or reasoning, a fragment of tool arguments) counts as one output token, and
 * input tokens are the words of all message text, so metering can be asserted exactly.
 *
 * It calls a tool when the request offers tools, does not forbid them, and the last message is the
 * user's own words (not tool results); otherwise it answers in text. Models whose name contains
 * `reasoning` think aloud first.
 */
export async function* streamMockChat(request: ChatRequest, options: MockOptions, callOptions: CallOptions): AsyncGenerator<StreamEvent> {
  const { signal } = callOptions;
  if (request.model === MOCK_EMBEDDING_MODEL) {
    throw new ProviderError({ kind: 'invalid_request', message: `${MOCK_EMBEDDING_MODEL} is an embeddings model`, status: 400, providerId: 'mock' });
  }
  await sleepUnlessAborted(options.first_token_ms, signal);
  yield { type: 'start', id: `chatcmpl-mock-${randomUUID()}`, model: request.model };

  let outputTokens = 0;
  let reasoningTokens: number | undefined;
  const pace = async (): Promise<void> => {
    outputTokens += 1;
    await sleepUnlessAborted(outputTokens === 1 ? 0 : options.chunk_delay_ms, signal);
  };

  if (request.model.includes('reasoning')) {
    const thoughts = buildMockReasoning(request.messages);
    for (const [position, word] of thoughts.entries()) {
      await pace();
      yield { type: 'reasoning-delta', text: position === 0 ? word : ` ${word}` };
    }
    reasoningTokens = thoughts.length;
  }

  const tool = chooseTool(request);
  if (tool !== undefined) {
    const argumentsText = JSON.stringify(buildMockToolArguments(tool.parameters));
    await pace();
    yield { type: 'tool-call-start', index: 0, id: `call_mock_${randomUUID().replaceAll('-', '').slice(0, 24)}`, name: tool.name };
    // Two fragments, so that clients' argument assembly is exercised.
    const middle = Math.ceil(argumentsText.length / 2);
    yield { type: 'tool-call-delta', index: 0, argumentsDelta: argumentsText.slice(0, middle) };
    await pace();
    yield { type: 'tool-call-delta', index: 0, argumentsDelta: argumentsText.slice(middle) };
    yield { type: 'tool-call-end', index: 0 };
    yield { type: 'finish', reason: 'tool_calls' };
  } else {
    const limit = request.sampling.maxTokens;
    const wordCount = limit === undefined ? options.output_tokens : Math.min(limit, options.output_tokens);
    for (const [position, word] of buildMockReply(request.messages, wordCount).entries()) {
      await pace();
      yield { type: 'text-delta', text: position === 0 ? word : ` ${word}` };
    }
    yield { type: 'finish', reason: wordCount < options.output_tokens ? 'length' : 'stop' };
  }

  const usage = { inputTokens: countMessageWords(request.messages), outputTokens };
  yield { type: 'usage', usage: reasoningTokens === undefined ? usage : { ...usage, reasoningTokens } };
}

/** The tool to call, if this turn should call one: the named tool, else the first one offered. */
function chooseTool(request: ChatRequest): ToolDefinition | undefined {
  const tools = request.tools ?? [];
  const choice = request.toolChoice ?? { type: 'auto' };
  const lastMessage = request.messages.at(-1);
  const userSpokeLast = lastMessage?.role === 'user' && !lastMessage.content.some((part) => part.type === 'tool-result');
  if (tools.length === 0 || choice.type === 'none' || !userSpokeLast) {
    return undefined;
  }
  if (choice.type === 'tool') {
    const named = tools.find((tool) => tool.name === choice.name);
    if (named === undefined) {
      throw new ProviderError({ kind: 'invalid_request', message: `tool_choice names unknown tool ${choice.name}`, status: 400, providerId: 'mock' });
    }
    return named;
  }
  return tools[0];
}
