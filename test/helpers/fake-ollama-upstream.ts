import type { ServerResponse } from 'node:http';
import { respondWithJson, respondWithStream, startFakeUpstream, type RecordedRequest } from '@nachos/plugin-sdk/testing';
import { ndjsonLines, readProtocolFixture } from './protocol-fixture.js';
import type { FakeProviderUpstream, RecordedAnswers } from './recorded-answers.js';
import { wholeOllamaChat } from './whole-answers.js';

const TEXT_STREAM = readProtocolFixture('ollama/chat-stream.ndjson');
const TOOL_STREAM = readProtocolFixture('ollama/chat-stream-toolcall.ndjson');
const TOOL_REQUEST = readProtocolFixture('ollama/chat-stream-toolcall.request.json');
const FAILURE = readProtocolFixture('ollama/error.response.json');
const NDJSON = 'application/x-ndjson';

interface OllamaMessage {
  role: string;
  content?: string;
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>;
}

interface ChatBody {
  model?: string;
  stream?: unknown;
  tools?: unknown[];
  messages?: OllamaMessage[];
}

function recordedAnswers(): RecordedAnswers {
  const messages = (body: string) =>
    (ndjsonLines(body) as Array<{ message?: OllamaMessage }>).flatMap((line) => (line.message ? [line.message] : []));
  const done = (ndjsonLines(TEXT_STREAM) as Array<{ done?: boolean; prompt_eval_count?: number; eval_count?: number }>).find((line) => line.done)!;
  const call = messages(TOOL_STREAM).flatMap((message) => message.tool_calls ?? [])[0]!;
  const declared = (JSON.parse(TOOL_REQUEST) as { tools: Array<{ function: RecordedAnswers['tool'] }> }).tools[0]!.function;
  return {
    text: messages(TEXT_STREAM).map((message) => message.content ?? '').join(''),
    usage: { inputTokens: done.prompt_eval_count!, outputTokens: done.eval_count! },
    tool: { name: declared.name, description: declared.description, parameters: declared.parameters },
    toolArguments: call.function.arguments,
    failureMessage: (JSON.parse(FAILURE) as { error: string }).error,
  };
}

/** Ollama's native chat (`POST /api/chat`, NDJSON stream or one body) from its recordings; see {@link FakeProviderUpstream}. */
export async function startFakeOllamaUpstream(failingModels: readonly string[]): Promise<FakeProviderUpstream> {
  const failing = new Set(failingModels);
  const upstream = await startFakeUpstream((request, response) => answer(request, response, failing));
  return { ...upstream, recorded: recordedAnswers() };
}

function answer(request: RecordedRequest, response: ServerResponse, failing: ReadonlySet<string>): Promise<void> | void {
  if (request.method !== 'POST' || request.url !== '/api/chat') return respondWithJson(response, 404, { error: '404 page not found' });
  const body = request.json() as ChatBody;
  if (failing.has(body.model ?? '')) return respondWithJson(response, 500, FAILURE);
  const messages = body.messages ?? [];
  if (!toolMessagesFollowCalls(messages)) return respondWithJson(response, 400, { error: 'a tool message must answer a tool call' });
  const answeringTool = messages.at(-1)?.role === 'tool';
  const recording = (body.tools?.length ?? 0) > 0 && !answeringTool ? TOOL_STREAM : TEXT_STREAM;
  // Ollama streams unless told `stream: false`.
  return body.stream === false ? respondWithJson(response, 200, wholeOllamaChat(recording)) : respondWithStream(response, recording, { contentType: NDJSON });
}

/** A `tool` message follows an assistant message with tool calls (or another tool message answering them). */
function toolMessagesFollowCalls(messages: readonly OllamaMessage[]): boolean {
  return messages.every((message, position) => {
    if (message.role !== 'tool') return true;
    const before = messages.slice(0, position).findLast((earlier) => earlier.role !== 'tool');
    return before?.role === 'assistant' && (before.tool_calls?.length ?? 0) > 0;
  });
}
