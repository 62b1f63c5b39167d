import type { ChatRequest, ContentPart, DocumentPart, ImagePart, Message, ToolResultPart } from './chat-request.js';
import type {
  OpenAIChatBody,
  OpenAIChatMessage,
  OpenAIChatTool,
  OpenAIChatToolChoice,
  OpenAIResponseFormat,
  OpenAIUserContentPart,
} from './openai-chat-body.js';
import { ProviderError } from './provider-error.js';

/**
 * Converts a canonical request into an OpenAI Chat Completions body, the dialect every
 * OpenAI-compatible host speaks. Model-specific rules (reasoning models, host quirks) are left to
 * the plugin's `transformRequest`, so this stays the one faithful mapping.
 *
 * Decisions worth knowing:
 * - `developer` messages are sent as `system`: most compatible hosts reject the newer role, and the
 *   OpenAI plugin turns `system` into `developer` where OpenAI wants it.
 * - Tool results become one `role:"tool"` message each, wherever the client put them (Anthropic
 *   clients put them in a user turn). Images in tool results, which `tool` messages cannot carry,
 *   follow in a user message.
 * - Reasoning parts of earlier turns are dropped: OpenAI takes no reasoning input in Chat
 *   Completions.
 * - Passthrough fields of OpenAI-family clients are merged underneath, so canonical fields (the
 *   rewritten model first) always win.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/create
 */
export function convertToOpenAIChatBody(request: ChatRequest): OpenAIChatBody {
  const passthrough = request.passthrough?.family === 'openai' ? request.passthrough.fields : {};
  const body: OpenAIChatBody = {
    ...passthrough,
    model: request.model,
    messages: request.messages.flatMap(convertMessage),
    stream: request.stream,
  };
  if (request.stream) {
    body.stream_options = { include_usage: true };
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(
      (tool): OpenAIChatTool => ({
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parameters: tool.parameters,
          ...(tool.strict === undefined ? {} : { strict: tool.strict }),
        },
      }),
    );
    if (request.parallelToolCalls !== undefined) {
      body.parallel_tool_calls = request.parallelToolCalls;
    }
  }
  if (request.toolChoice !== undefined) {
    body.tool_choice = convertToolChoice(request.toolChoice);
  }
  if (request.responseFormat !== undefined) {
    body.response_format = convertResponseFormat(request.responseFormat);
  }
  const { sampling } = request;
  setIfDefined(body, 'max_tokens', sampling.maxTokens);
  setIfDefined(body, 'temperature', sampling.temperature);
  setIfDefined(body, 'top_p', sampling.topP);
  if (sampling.stop !== undefined && sampling.stop.length > 0) {
    body.stop = sampling.stop;
  }
  setIfDefined(body, 'seed', sampling.seed);
  setIfDefined(body, 'presence_penalty', sampling.presencePenalty);
  setIfDefined(body, 'frequency_penalty', sampling.frequencyPenalty);
  setIfDefined(body, 'reasoning_effort', request.reasoning?.effort);
  setIfDefined(body, 'user', request.user);
  return body;
}

function convertMessage(message: Message): OpenAIChatMessage[] {
  switch (message.role) {
    case 'system':
    case 'developer':
      return [withName({ role: 'system', content: convertUserContent(message.content) }, message.name)];
    case 'assistant':
      return [convertAssistantMessage(message)];
    case 'tool':
    case 'user':
      return convertUserOrToolMessage(message);
  }
}

function convertAssistantMessage(message: Message): OpenAIChatMessage {
  const text = message.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
  const toolCalls = message.content.flatMap((part) =>
    part.type === 'tool-call'
      ? [{ id: part.id, type: 'function' as const, function: { name: part.name, arguments: part.arguments } }]
      : [],
  );
  const converted: OpenAIChatMessage = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
  };
  if (toolCalls.length > 0) {
    converted.tool_calls = toolCalls;
  }
  return withName(converted, message.name);
}

/** Tool results first (OpenAI wants them right after the assistant turn), then what else was said. */
function convertUserOrToolMessage(message: Message): OpenAIChatMessage[] {
  const results = message.content.filter((part): part is ToolResultPart => part.type === 'tool-result');
  const converted: OpenAIChatMessage[] = results.map((result) => ({
    role: 'tool',
    tool_call_id: result.toolCallId,
    content: result.content
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join('\n'),
  }));
  const resultImages = results.flatMap((result) => result.content.filter((part): part is ImagePart => part.type === 'image'));
  const rest = [...resultImages, ...message.content.filter((part) => part.type === 'text' || part.type === 'image' || part.type === 'document')];
  if (rest.length > 0 || results.length === 0) {
    converted.push(withName({ role: 'user', content: convertUserContent(rest) }, message.name));
  }
  return converted;
}

/** A single text part travels as a plain string, which every compatible host accepts. */
function convertUserContent(parts: readonly ContentPart[]): string | OpenAIUserContentPart[] {
  const converted = parts.flatMap((part): OpenAIUserContentPart[] => {
    if (part.type === 'text') {
      return [{ type: 'text', text: part.text }];
    }
    if (part.type === 'image') {
      const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
      return [{ type: 'image_url', image_url: part.detail === undefined ? { url } : { url, detail: part.detail } }];
    }
    if (part.type === 'document') {
      return [convertDocument(part)];
    }
    return [];
  });
  if (converted.length === 0) {
    return '';
  }
  const [first] = converted;
  return converted.length === 1 && first?.type === 'text' ? first.text : converted;
}

/**
 * A document as an OpenAI `file` part: its bytes as a data URL in `file_data`, with its name; plain text
 * as a text part. OpenAI's chat API reads no document links, so a link is refused before any call.
 */
function convertDocument(part: DocumentPart): OpenAIUserContentPart {
  const { source } = part;
  if (source.kind === 'text') {
    return { type: 'text', text: source.text };
  }
  if (source.kind === 'url') {
    throw new ProviderError({
      kind: 'invalid_request',
      message: 'OpenAI-style chat APIs read documents only as inline data, not by link; send the file itself',
    });
  }
  const filename = part.filename ?? part.title;
  return { type: 'file', file: { file_data: `data:${source.mediaType};base64,${source.data}`, ...(filename ? { filename } : {}) } };
}

function convertToolChoice(choice: NonNullable<ChatRequest['toolChoice']>): OpenAIChatToolChoice {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function convertResponseFormat(format: NonNullable<ChatRequest['responseFormat']>): OpenAIResponseFormat {
  if (format.type !== 'json_schema') {
    return { type: format.type };
  }
  return {
    type: 'json_schema',
    json_schema: {
      name: format.name,
      schema: format.schema,
      ...(format.strict === undefined ? {} : { strict: format.strict }),
    },
  };
}

function withName<T extends OpenAIChatMessage>(message: T, name: string | undefined): T {
  return name === undefined || message.role === 'tool' ? message : { ...message, name };
}

function setIfDefined(body: OpenAIChatBody, field: string, value: unknown): void {
  if (value !== undefined) {
    body[field] = value;
  }
}
