import { ndjsonLines, ssePayloads } from './protocol-fixture.js';

/**
 * The one-body answer each provider gives a request without `stream`, rebuilt from a recorded stream
 * of the same answer, so that a fake serves both forms of one recording and tests can compare them.
 */

// Recorded provider payloads, read loosely: the recordings are the schema.
type Json = Record<string, any>;

/** OpenAI Chat Completions: `chat.completion` with the message the chunks spelled out. */
export function wholeOpenAIChat(sse: string): Json {
  const chunks = ssePayloads(sse) as Json[];
  const first = chunks[0]!;
  // One message per choice `index` (several when the request asked for `n`).
  const choices: Array<{ content: string | null; refusal: string | null; finishReason: string | null; toolCalls: Json[] }> = [];
  for (const chunk of chunks) {
    for (const choice of (chunk['choices'] ?? []) as Json[]) {
      const state = (choices[(choice['index'] as number | undefined) ?? 0] ??= { content: null, refusal: null, finishReason: null, toolCalls: [] });
      const delta = (choice['delta'] ?? {}) as Json;
      if (typeof delta['content'] === 'string') state.content = (state.content ?? '') + delta['content'];
      if (typeof delta['refusal'] === 'string') state.refusal = (state.refusal ?? '') + delta['refusal'];
      for (const call of (delta['tool_calls'] ?? []) as Json[]) {
        const index = call['index'] as number;
        const known = (state.toolCalls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (call['id']) known['id'] = call['id'];
        if (call['function']?.['name']) known['function']['name'] += call['function']['name'];
        if (call['function']?.['arguments']) known['function']['arguments'] += call['function']['arguments'];
      }
      state.finishReason = (choice['finish_reason'] as string | null) ?? state.finishReason;
    }
  }
  const usage = chunks.findLast((chunk) => chunk['usage'])?.['usage'];
  return {
    id: first['id'],
    object: 'chat.completion',
    created: first['created'],
    model: first['model'],
    ...(first['system_fingerprint'] === undefined ? {} : { system_fingerprint: first['system_fingerprint'] }),
    choices: choices.map(({ content, refusal, finishReason, toolCalls }, index) => ({
      index,
      message: { role: 'assistant', content, refusal, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
      logprobs: null,
      finish_reason: finishReason,
    })),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** Anthropic Messages: the `message` of `message_start` with its content blocks filled in and the final stop reason and usage. */
export function wholeAnthropicMessage(sse: string): Json {
  const events = ssePayloads(sse) as Json[];
  const message = { ...(events.find((event) => event['type'] === 'message_start')!['message'] as Json) };
  const content: Json[] = [];
  const partialInput: string[] = [];
  for (const event of events) {
    const index = event['index'] as number;
    if (event['type'] === 'content_block_start') content[index] = { ...(event['content_block'] as Json) };
    if (event['type'] === 'content_block_delta') {
      const block = content[index]!;
      const delta = event['delta'] as Json;
      if (delta['type'] === 'text_delta') block['text'] = `${block['text'] ?? ''}${delta['text']}`;
      if (delta['type'] === 'thinking_delta') block['thinking'] = `${block['thinking'] ?? ''}${delta['thinking']}`;
      if (delta['type'] === 'signature_delta') block['signature'] = delta['signature'];
      if (delta['type'] === 'input_json_delta') partialInput[index] = `${partialInput[index] ?? ''}${delta['partial_json']}`;
    }
    if (event['type'] === 'content_block_stop' && content[index]?.['type'] === 'tool_use') {
      content[index]!['input'] = partialInput[index] ? JSON.parse(partialInput[index]!) : {};
    }
  }
  const final = events.findLast((event) => event['type'] === 'message_delta');
  return {
    ...message,
    content,
    stop_reason: final?.['delta']?.['stop_reason'] ?? null,
    stop_sequence: final?.['delta']?.['stop_sequence'] ?? null,
    usage: { ...(message['usage'] as Json), ...(final?.['usage'] as Json | undefined) },
  };
}

/** Gemini `generateContent`: one candidate holding every part the chunks carried, with the last chunk's finish and usage. */
export function wholeGeminiResponse(sse: string): Json {
  const chunks = ssePayloads(sse) as Json[];
  const parts: Json[] = [];
  let finishReason: string | undefined;
  for (const chunk of chunks) {
    const candidate = (chunk['candidates'] as Json[] | undefined)?.[0];
    parts.push(...((candidate?.['content']?.['parts'] ?? []) as Json[]));
    finishReason = (candidate?.['finishReason'] as string | undefined) ?? finishReason;
  }
  const last = chunks.at(-1)!;
  return {
    candidates: [{ content: { role: 'model', parts }, ...(finishReason === undefined ? {} : { finishReason }), index: 0 }],
    ...(last['usageMetadata'] === undefined ? {} : { usageMetadata: last['usageMetadata'] }),
    ...(last['modelVersion'] === undefined ? {} : { modelVersion: last['modelVersion'] }),
    ...(last['responseId'] === undefined ? {} : { responseId: last['responseId'] }),
  };
}

/** Ollama `/api/chat` with `stream: false`: the final line, holding the whole message. */
export function wholeOllamaChat(ndjson: string): Json {
  const lines = ndjsonLines(ndjson) as Json[];
  let content = '';
  let thinking = '';
  const toolCalls: Json[] = [];
  for (const line of lines) {
    const message = (line['message'] ?? {}) as Json;
    content += (message['content'] as string | undefined) ?? '';
    thinking += (message['thinking'] as string | undefined) ?? '';
    toolCalls.push(...((message['tool_calls'] ?? []) as Json[]));
  }
  const last = lines.at(-1)!;
  return {
    ...last,
    message: { role: 'assistant', content, ...(thinking === '' ? {} : { thinking }), ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
  };
}
