import type { ServerResponse } from 'node:http';
import { respondWithJson, respondWithStream, startFakeUpstream, type RecordedRequest } from '@nachos/plugin-sdk/testing';
import { readProtocolFixture, ssePayloads } from './protocol-fixture.js';
import type { FakeProviderUpstream, RecordedAnswers } from './recorded-answers.js';
import { wholeOpenAIChat } from './whole-answers.js';

const TEXT_STREAM = readProtocolFixture('openai-chat/chat-stream-text-usage-4o-mini.sse');
const TOOL_STREAM = readProtocolFixture('openai-chat/chat-stream-toolcall.sse');
const TEMPERATURE_UNSUPPORTED = readProtocolFixture('openai-chat/error-400-temperature-unsupported.response.json');
const MAX_TOKENS_UNSUPPORTED = readProtocolFixture('openai-chat/error-400-max-tokens-unsupported.response.json');
const SERVER_ERROR = 'The server had an error while processing your request. Sorry about that!';

interface ChunkPayload {
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  choices?: Array<{ delta?: { content?: string | null; tool_calls?: Array<{ function?: { name?: string; arguments?: string } }> } }>;
}

interface ChatMessage {
  role: string;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string }>;
}

interface ChatBody {
  model?: string;
  stream?: unknown;
  tools?: unknown[];
  messages?: ChatMessage[];
  [field: string]: unknown;
}

function recordedAnswers(): RecordedAnswers {
  const deltas = (body: string) => (ssePayloads(body) as ChunkPayload[]).flatMap((chunk) => chunk.choices?.map((choice) => choice.delta ?? {}) ?? []);
  const fragments = deltas(TOOL_STREAM).flatMap((delta) => delta.tool_calls ?? []);
  const usage = (ssePayloads(TEXT_STREAM) as ChunkPayload[]).findLast((chunk) => chunk.usage)!.usage!;
  return {
    text: deltas(TEXT_STREAM).map((delta) => delta.content ?? '').join(''),
    usage: { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens },
    // The recording comes from a test that declared a one-string-field tool named "test-tool".
    tool: {
      name: fragments[0]!.function!.name!,
      description: 'A test tool',
      parameters: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'], additionalProperties: false },
    },
    toolArguments: JSON.parse(fragments.map((fragment) => fragment.function?.arguments ?? '').join('')) as Record<string, unknown>,
    failureMessage: SERVER_ERROR,
  };
}

/**
 * OpenAI Chat Completions (`POST /v1/chat/completions`, streamed or whole) from its recordings, refusing what
 * OpenAI refuses: a missing bearer key, `temperature` or `max_tokens` sent to a reasoning model (o-series),
 * and a tool message that answers no call. See {@link FakeProviderUpstream}.
 */
export async function startFakeRecordedOpenAIUpstream(failingModels: readonly string[]): Promise<FakeProviderUpstream> {
  const failing = new Set(failingModels);
  const upstream = await startFakeUpstream((request, response) => answer(request, response, failing));
  return { ...upstream, recorded: recordedAnswers() };
}

function answer(request: RecordedRequest, response: ServerResponse, failing: ReadonlySet<string>): Promise<void> | void {
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    return refuse(response, 404, 'invalid_request_error', `Invalid URL (${request.method} ${request.url})`);
  }
  if (!/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
    return refuse(response, 401, 'invalid_request_error', "You didn't provide an API key.");
  }
  const body = request.json() as ChatBody;
  const model = body.model ?? '';
  if (failing.has(model)) return refuse(response, 500, 'server_error', SERVER_ERROR);
  if (/^o\d/.test(model) && 'temperature' in body && body.temperature !== 1) return respondWithJson(response, 400, TEMPERATURE_UNSUPPORTED);
  if (/^o\d/.test(model) && 'max_tokens' in body) return respondWithJson(response, 400, MAX_TOKENS_UNSUPPORTED);
  const messages = body.messages ?? [];
  if (!toolMessagesAnswerCalls(messages)) {
    const message = "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
    return refuse(response, 400, 'invalid_request_error', message);
  }
  const answeringTool = messages.at(-1)?.role === 'tool';
  const recorded = (body.tools?.length ?? 0) > 0 && !answeringTool ? TOOL_STREAM : TEXT_STREAM;
  const recording = typeof body.n === 'number' && body.n > 1 ? withChoices(recorded, body.n) : recorded;
  return body.stream === true ? respondWithStream(response, recording) : respondWithJson(response, 200, wholeOpenAIChat(recording));
}

/**
 * The recording answered `n` times over, as OpenAI streams several choices: each chunk once per choice,
 * interleaved, naming its choice's `index`; one usage, the prompt counted once and every choice's completion.
 */
function withChoices(sse: string, n: number): string {
  const chunks = (ssePayloads(sse) as Array<Record<string, unknown>>).flatMap((chunk) => {
    const choices = chunk['choices'] as Array<Record<string, unknown>> | undefined;
    const usage = chunk['usage'] as Record<string, number> | null | undefined;
    if (usage) {
      const completion = usage['completion_tokens']! * n;
      return [{ ...chunk, usage: { ...usage, completion_tokens: completion, total_tokens: usage['prompt_tokens']! + completion } }];
    }
    if (!choices || choices.length === 0) return [chunk];
    return Array.from({ length: n }, (_, index) => ({ ...chunk, choices: choices.map((choice) => ({ ...choice, index })) }));
  });
  return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
}

/** OpenAI's rule: each `tool` message names a call of the assistant message before the run of tool messages. */
function toolMessagesAnswerCalls(messages: readonly ChatMessage[]): boolean {
  let calls = new Set<string>();
  return messages.every((message) => {
    if (message.role === 'assistant') calls = new Set(message.tool_calls?.map((call) => call.id));
    else if (message.role !== 'tool') calls = new Set();
    return message.role !== 'tool' || calls.has(message.tool_call_id ?? '');
  });
}

function refuse(response: ServerResponse, status: number, type: string, message: string): void {
  respondWithJson(response, status, { error: { message, type, param: null, code: null } });
}
