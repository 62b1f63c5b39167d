import {
  type ChatRequest,
  type ImageSource,
  isRecord,
  type JsonObject,
  type Message,
  ProviderError,
  type ToolCallPart,
  type ToolResultPart,
} from '@nachos/plugin-sdk';
import { mapReasoningToOllamaThink } from './map-reasoning-to-ollama-think.js';
import type { OllamaChatBody, OllamaMessage, OllamaModelOptions, OllamaTool } from './ollama-wire-types.js';

export interface OllamaBodySettings {
  /** `options.num_ctx` for requests that do not set their own; 0 leaves the model default. */
  numCtx: number;
  /** `keep_alive` for every request; empty leaves the server default. */
  keepAlive: string;
  /** Turns any image source into bare base64 (downloading URLs). */
  readImage(source: ImageSource): Promise<string>;
  providerId: string;
}

/**
 * Converts a canonical request into an Ollama `/api/chat` body.
 *
 * Decisions worth knowing:
 * - Text parts are joined into the one string Ollama takes; images go to `images` as bare base64.
 * - Tool calls carry their arguments as an object, so the canonical JSON text is parsed here; text
 *   that is not a JSON object is the client's error and costs no upstream call.
 * - Each tool result becomes a `tool` message with `tool_name`, found from the assistant turn that
 *   made the call when the client did not say it (OpenAI clients only send the id).
 * - Ollama has no `tool_choice`: `none` sends no tools, a named tool sends only that tool.
 * - Reasoning of earlier turns goes back as `thinking`, which Ollama accepts on assistant messages.
 * - Passthrough fields of Ollama-family clients go underneath, their `options` beneath the canonical
 *   sampling and above the operator's `num_ctx` default.
 *
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 */
export async function convertToOllamaChatBody(request: ChatRequest, settings: OllamaBodySettings): Promise<OllamaChatBody> {
  const passthrough = request.passthrough?.family === 'ollama' ? request.passthrough.fields : {};
  const messages = await convertMessages(request.messages, settings);
  const body: OllamaChatBody = { ...passthrough, model: request.model, messages, stream: request.stream };
  const tools = selectTools(request);
  if (tools.length > 0) {
    body.tools = tools;
  } else {
    delete body.tools;
  }
  const options: OllamaModelOptions = {
    ...(settings.numCtx > 0 ? { num_ctx: settings.numCtx } : {}),
    ...(isRecord(passthrough['options']) ? passthrough['options'] : {}),
    ...convertSampling(request),
  };
  if (Object.keys(options).length > 0) {
    body.options = options;
  }
  if (request.responseFormat?.type === 'json_object') {
    body.format = 'json';
  } else if (request.responseFormat?.type === 'json_schema') {
    body.format = request.responseFormat.schema;
  }
  const think = mapReasoningToOllamaThink(request.model, request.reasoning);
  if (think !== undefined) {
    body.think = think;
  }
  if (settings.keepAlive !== '') {
    body.keep_alive = settings.keepAlive;
  }
  return body;
}

function selectTools(request: ChatRequest): OllamaTool[] {
  const choice = request.toolChoice;
  if (request.tools === undefined || choice?.type === 'none') {
    return [];
  }
  const offered = choice?.type === 'tool' ? request.tools.filter((tool) => tool.name === choice.name) : request.tools;
  return offered.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
    },
  }));
}

function convertSampling(request: ChatRequest): OllamaModelOptions {
  const { sampling } = request;
  const options: OllamaModelOptions = {};
  const set = (name: keyof OllamaModelOptions, value: unknown): void => {
    if (value !== undefined) {
      options[name] = value;
    }
  };
  set('num_predict', sampling.maxTokens);
  set('temperature', sampling.temperature);
  set('top_p', sampling.topP);
  set('top_k', sampling.topK);
  set('stop', sampling.stop !== undefined && sampling.stop.length > 0 ? sampling.stop : undefined);
  set('seed', sampling.seed);
  set('presence_penalty', sampling.presencePenalty);
  set('frequency_penalty', sampling.frequencyPenalty);
  return options;
}

async function convertMessages(messages: readonly Message[], settings: OllamaBodySettings): Promise<OllamaMessage[]> {
  const toolNames = new Map<string, string>();
  const converted: OllamaMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'developer':
        converted.push({ role: 'system', content: joinText(message, '\n') });
        break;
      case 'assistant':
        converted.push(convertAssistantMessage(message, toolNames, settings.providerId));
        break;
      case 'user':
      case 'tool':
        converted.push(...(await convertUserOrToolMessage(message, toolNames, settings)));
        break;
    }
  }
  return converted;
}

function convertAssistantMessage(message: Message, toolNames: Map<string, string>, providerId: string): OllamaMessage {
  const converted: OllamaMessage = { role: 'assistant', content: joinText(message, '') };
  const thinking = message.content.map((part) => (part.type === 'reasoning' ? part.text : '')).join('');
  if (thinking !== '') {
    converted.thinking = thinking;
  }
  const calls = message.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
  if (calls.length > 0) {
    converted.tool_calls = calls.map((call) => {
      toolNames.set(call.id, call.name);
      return { id: call.id, function: { name: call.name, arguments: parseArguments(call, providerId) } };
    });
  }
  return converted;
}

/** Tool results first, one `tool` message each, then whatever else the turn said. */
async function convertUserOrToolMessage(
  message: Message,
  toolNames: ReadonlyMap<string, string>,
  settings: OllamaBodySettings,
): Promise<OllamaMessage[]> {
  if (message.content.some((part) => part.type === 'document')) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: 'Ollama models read no documents (PDF or other files); send their text instead',
      providerId: settings.providerId,
    });
  }
  const converted: OllamaMessage[] = [];
  const results = message.content.filter((part): part is ToolResultPart => part.type === 'tool-result');
  for (const result of results) {
    const toolName = result.toolName ?? toolNames.get(result.toolCallId);
    const images = await readImages(result.content, settings);
    converted.push({
      role: 'tool',
      content: result.content.map((part) => (part.type === 'text' ? part.text : '')).filter((text) => text !== '').join('\n'),
      ...(images.length > 0 ? { images } : {}),
      ...(toolName === undefined ? {} : { tool_name: toolName }),
      tool_call_id: result.toolCallId,
    });
  }
  const hasOwnContent = message.content.some((part) => part.type === 'text' || part.type === 'image');
  if (hasOwnContent || results.length === 0) {
    const images = await readImages(message.content, settings);
    converted.push({ role: 'user', content: joinText(message, '\n'), ...(images.length > 0 ? { images } : {}) });
  }
  return converted;
}

async function readImages(parts: Message['content'], settings: OllamaBodySettings): Promise<string[]> {
  const images: string[] = [];
  for (const part of parts) {
    if (part.type === 'image') {
      images.push(await settings.readImage(part.source));
    }
  }
  return images;
}

function joinText(message: Message, separator: string): string {
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter((text) => text !== '')
    .join(separator);
}

function parseArguments(call: ToolCallPart, providerId: string): JsonObject {
  if (call.arguments.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `the arguments of tool call ${call.id} (${call.name}) are not valid JSON`,
      providerId,
      cause: error,
    });
  }
  if (!isRecord(parsed)) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `the arguments of tool call ${call.id} (${call.name}) are not a JSON object`,
      providerId,
    });
  }
  return parsed as JsonObject;
}
