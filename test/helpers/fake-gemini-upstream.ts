import type { ServerResponse } from 'node:http';
import { respondWithJson, respondWithStream, startFakeUpstream, type RecordedRequest } from '@nachos/plugin-sdk/testing';
import { readProtocolFixture, ssePayloads } from './protocol-fixture.js';
import type { FakeProviderUpstream, RecordedAnswers } from './recorded-answers.js';
import { wholeGeminiResponse } from './whole-answers.js';

const TEXT_STREAM = readProtocolFixture('gemini/stream-text.sse');
const FUNCTION_CALL_STREAM = readProtocolFixture('gemini/stream-functioncall.sse');
const FUNCTION_CALL_REQUEST = readProtocolFixture('gemini/stream-functioncall.request.json');
const MODEL_NOT_FOUND = readProtocolFixture('gemini/error-404-model-not-found.response.json');
const OVERLOADED = 'The model is overloaded. Please try again later.';

/** `models/<model>:streamGenerateContent?alt=sse`, `models/<model>:generateContent` or `:countTokens`, as llm-proxy asks. */
const ROUTE = /^\/v1beta\/models\/([^/:?]+):(streamGenerateContent\?alt=sse|generateContent|countTokens)$/;

/** What the fake's `models/<model>:countTokens` answers (the example in Gemini's API reference). */
export const GEMINI_TOKEN_COUNT = 31;

interface GeminiPart {
  text?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: unknown };
}

interface GeminiContent {
  role?: string;
  parts?: GeminiPart[];
}

interface GenerateBody {
  contents?: GeminiContent[];
  tools?: Array<{ functionDeclarations?: unknown[] }>;
}

interface FunctionDeclaration {
  name: string;
  description: string;
  parameters: { properties: Record<string, { type: string }> };
}

function recordedAnswers(): RecordedAnswers {
  const parts = (body: string) =>
    (ssePayloads(body) as Array<{ candidates?: Array<{ content?: GeminiContent }> }>).flatMap((chunk) =>
      chunk.candidates?.flatMap((candidate) => candidate.content?.parts ?? []) ?? [],
    );
  const usage = (ssePayloads(TEXT_STREAM) as Array<{ usageMetadata?: Record<string, number> }>).at(-1)!.usageMetadata!;
  const call = parts(FUNCTION_CALL_STREAM).find((part) => part.functionCall)!.functionCall!;
  const declaration = (JSON.parse(FUNCTION_CALL_REQUEST) as Required<GenerateBody>).tools[0]!.functionDeclarations![0] as FunctionDeclaration;
  // The recorded request wrote its schema with Gemini's OpenAPI type names (NUMBER); clients write JSON Schema.
  const properties = Object.fromEntries(
    Object.entries(declaration.parameters.properties).map(([name, property]) => [name, { type: property.type.toLowerCase() }]),
  );
  return {
    text: parts(TEXT_STREAM).map((part) => part.text ?? '').join(''),
    // The last chunk's counts are the totals; thinking tokens count as output.
    usage: { inputTokens: usage['promptTokenCount']!, outputTokens: usage['candidatesTokenCount']! + (usage['thoughtsTokenCount'] ?? 0) },
    tool: { name: declaration.name, description: declaration.description, parameters: { type: 'object', properties } },
    toolArguments: call.args,
    failureMessage: OVERLOADED,
  };
}

/**
 * The Gemini API (`POST /v1beta/models/<model>:streamGenerateContent?alt=sse`, or `:generateContent` for one
 * body) from its recordings. The key
 * must come in `x-goog-api-key`; a URL with anything more in its query (a `key=`) does not match the route.
 * See {@link FakeProviderUpstream}.
 */
export async function startFakeGeminiUpstream(failingModels: readonly string[]): Promise<FakeProviderUpstream> {
  const failing = new Set(failingModels);
  const upstream = await startFakeUpstream((request, response) => answer(request, response, failing));
  return { ...upstream, recorded: recordedAnswers() };
}

function answer(request: RecordedRequest, response: ServerResponse, failing: ReadonlySet<string>): Promise<void> | void {
  const route = ROUTE.exec(request.url);
  if (request.method !== 'POST' || route === null) return respondWithJson(response, 404, MODEL_NOT_FOUND);
  if (!request.headers['x-goog-api-key']) {
    return refuse(response, 403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity).");
  }
  if (failing.has(decodeURIComponent(route[1]!))) return refuse(response, 503, 'UNAVAILABLE', OVERLOADED);
  if (route[2] === 'countTokens') {
    const counted = request.json() as { generateContentRequest?: GenerateBody & { model?: string } };
    if (counted.generateContentRequest?.model !== `models/${route[1]}`) return refuse(response, 400, 'INVALID_ARGUMENT', 'generateContentRequest.model must name the model counted');
    return respondWithJson(response, 200, { totalTokens: GEMINI_TOKEN_COUNT });
  }
  const body = request.json() as GenerateBody;
  const contents = body.contents ?? [];
  if (!functionResponsesFollowCalls(contents)) {
    return refuse(response, 400, 'INVALID_ARGUMENT', 'Please ensure that function response turn comes immediately after a function call turn.');
  }
  const offersTools = (body.tools ?? []).some((tool) => (tool.functionDeclarations?.length ?? 0) > 0);
  const answeringCall = (contents.at(-1)?.parts ?? []).some((part) => part.functionResponse);
  const recording = offersTools && !answeringCall ? FUNCTION_CALL_STREAM : TEXT_STREAM;
  return route[2] === 'generateContent' ? respondWithJson(response, 200, wholeGeminiResponse(recording)) : respondWithStream(response, recording);
}

/** Gemini matches a `functionResponse` to a `functionCall` of the same name in the model turn just before. */
function functionResponsesFollowCalls(contents: readonly GeminiContent[]): boolean {
  return contents.every((content, position) => {
    const responses = (content.parts ?? []).flatMap((part) => (part.functionResponse ? [part.functionResponse.name] : []));
    if (responses.length === 0) return true;
    const previous = contents[position - 1];
    const called = new Set((previous?.parts ?? []).flatMap((part) => (part.functionCall ? [part.functionCall.name] : [])));
    return previous?.role === 'model' && responses.every((name) => called.has(name));
  });
}

function refuse(response: ServerResponse, code: number, status: string, message: string): void {
  respondWithJson(response, code, { error: { code, message, status } });
}
