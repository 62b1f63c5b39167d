import type { ServerResponse } from 'node:http';
import { respondWithJson, respondWithStream, startFakeUpstream, type RecordedRequest } from '@nachos/plugin-sdk/testing';
import { readProtocolFixture, ssePayloads } from './protocol-fixture.js';
import type { FakeProviderUpstream, RecordedAnswers } from './recorded-answers.js';
import { wholeAnthropicMessage } from './whole-answers.js';

const TEXT_STREAM = readProtocolFixture('anthropic-messages/messages-stream-text.sse');
const TOOL_STREAM = readProtocolFixture('anthropic-messages/messages-stream-tooluse.sse');
const OVERLOADED = readProtocolFixture('anthropic-messages/error-529-overloaded.response.json');
const TOOL_RESULT_MISSING = readProtocolFixture('anthropic-messages/error-400-tool-result-missing.response.json');

/** What the fake's `POST /v1/messages/count_tokens` answers (the example in Anthropic's API reference). */
export const ANTHROPIC_TOKEN_COUNT = 2095;

interface StreamPayload {
  type: string;
  message?: { usage: Record<string, number> };
  usage?: { output_tokens: number };
  delta?: { type: string; text?: string; partial_json?: string };
  content_block?: { type: string; name?: string };
}

interface AnthropicBlock {
  type: string;
  id?: string;
  tool_use_id?: string;
}

interface AnthropicMessage {
  role: string;
  content: string | AnthropicBlock[];
}

interface MessagesBody {
  model?: string;
  max_tokens?: unknown;
  stream?: unknown;
  tools?: unknown[];
  messages?: AnthropicMessage[];
}

function recordedAnswers(): RecordedAnswers {
  const deltas = (body: string, type: string) =>
    (ssePayloads(body) as StreamPayload[]).filter((payload) => payload.delta?.type === type).map((payload) => payload.delta!);
  const toolBlock = (ssePayloads(TOOL_STREAM) as StreamPayload[]).find((payload) => payload.content_block?.type === 'tool_use');
  const textPayloads = ssePayloads(TEXT_STREAM) as StreamPayload[];
  const started = textPayloads.find((payload) => payload.type === 'message_start')!.message!.usage;
  return {
    text: deltas(TEXT_STREAM, 'text_delta').map((delta) => delta.text).join(''),
    usage: {
      // Anthropic counts cached input apart from input_tokens.
      inputTokens: (started['input_tokens'] ?? 0) + (started['cache_read_input_tokens'] ?? 0) + (started['cache_creation_input_tokens'] ?? 0),
      outputTokens: textPayloads.findLast((payload) => payload.type === 'message_delta')!.usage!.output_tokens,
    },
    // The request the recording answered: Anthropic's tool-use example asks for the weather in Paris.
    tool: {
      name: toolBlock!.content_block!.name!,
      description: 'Get the current weather in a given location',
      parameters: { type: 'object', properties: { location: { type: 'string', description: 'The city and state' } }, required: ['location'] },
    },
    toolArguments: JSON.parse(deltas(TOOL_STREAM, 'input_json_delta').map((delta) => delta.partial_json).join('')) as Record<string, unknown>,
    failureMessage: (JSON.parse(OVERLOADED) as { error: { message: string } }).error.message,
  };
}

/** Anthropic's Messages API (`POST /v1/messages`, streamed or whole) from its recordings; see {@link FakeProviderUpstream}. */
export async function startFakeAnthropicUpstream(failingModels: readonly string[]): Promise<FakeProviderUpstream> {
  const failing = new Set(failingModels);
  const upstream = await startFakeUpstream((request, response) => answer(request, response, failing));
  return { ...upstream, recorded: recordedAnswers() };
}

function answer(request: RecordedRequest, response: ServerResponse, failing: ReadonlySet<string>): Promise<void> | void {
  const counting = request.url === '/v1/messages/count_tokens';
  if (request.method !== 'POST' || (request.url !== '/v1/messages' && !counting)) {
    return refuse(response, 404, 'not_found_error', `${request.method} ${request.url} is not an Anthropic route`);
  }
  if (!request.headers['x-api-key']) return refuse(response, 401, 'authentication_error', 'x-api-key header is required');
  if (!request.headers['anthropic-version']) return refuse(response, 400, 'invalid_request_error', 'anthropic-version: header is required');
  const body = request.json() as MessagesBody;
  if (counting) {
    // count_tokens refuses the fields only a generation takes.
    if (body.max_tokens !== undefined || body.stream !== undefined) return refuse(response, 400, 'invalid_request_error', 'max_tokens: Extra inputs are not permitted');
    return respondWithJson(response, 200, { input_tokens: ANTHROPIC_TOKEN_COUNT });
  }
  if (failing.has(body.model ?? '')) return respondWithJson(response, 529, OVERLOADED);
  if (typeof body.max_tokens !== 'number') return refuse(response, 400, 'invalid_request_error', 'max_tokens: Field required');
  const messages = body.messages ?? [];
  if (!toolUsesAnswered(messages)) return respondWithJson(response, 400, TOOL_RESULT_MISSING);
  const answeringTool = blocks(messages.at(-1)).some((block) => block.type === 'tool_result');
  const recording = (body.tools?.length ?? 0) > 0 && !answeringTool ? TOOL_STREAM : TEXT_STREAM;
  return body.stream === true ? respondWithStream(response, recording) : respondWithJson(response, 200, wholeAnthropicMessage(recording));
}

/** Anthropic's rule: every `tool_use` is answered by a `tool_result` with its id in the very next message. */
function toolUsesAnswered(messages: readonly AnthropicMessage[]): boolean {
  return messages.every((message, position) => {
    const calls = blocks(message).filter((block) => block.type === 'tool_use');
    if (message.role !== 'assistant' || calls.length === 0) return true;
    const next = messages[position + 1];
    const answered = new Set(blocks(next).flatMap((block) => (block.type === 'tool_result' ? [block.tool_use_id] : [])));
    return next?.role === 'user' && calls.every((call) => answered.has(call.id));
  });
}

function blocks(message: AnthropicMessage | undefined): AnthropicBlock[] {
  return Array.isArray(message?.content) ? message.content : [];
}

function refuse(response: ServerResponse, status: number, type: string, message: string): void {
  respondWithJson(response, status, { type: 'error', error: { type, message } });
}
