import {
  isRecord,
  ProviderError,
  type ContentPart,
  type DocumentPart,
  type ImagePart,
  type JsonObject,
  type JsonValue,
  type Message,
  type ToolResultPart,
} from '@nachos/plugin-sdk';
import type { GeminiContent, GeminiInlineData, GeminiPart } from './gemini-api-types.js';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';
import { isGemini3Model } from './is-gemini-3-model.js';

/** The conversation in Gemini's shape: the hoisted system instruction and alternating turns. */
export interface GeminiPrompt {
  systemInstruction?: { parts: Array<{ text: string }> };
  contents: GeminiContent[];
}

export interface GeminiContentsSettings {
  /** The model id; Gemini 3 models need a thought signature on replayed calls. */
  model: string;
  /** Inlines an image given by http(s) URL (see `fetchImageAsInlineData`). */
  loadImage: (url: string) => Promise<GeminiInlineData>;
}

/**
 * Documented value for replaying a Gemini 3 function call whose thought signature was lost (the
 * history came from another provider or a client that dropped it); without one Gemini 3 answers 400.
 *
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_THOUGHT_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

/**
 * Converts canonical messages into Gemini `contents`:
 *
 * - `system` and `developer` messages go to `systemInstruction`; `assistant` becomes role `model`;
 *   tool results travel as `functionResponse` parts of a user turn, ahead of anything else in it.
 * - Gemini calls have no ids and its results are matched by function NAME: a result's name is the
 *   one the client gave, else the name of the earlier call with the same id. Results must be JSON
 *   objects: a text that parses as one is sent as is, anything else as `{content}` (`{error}` when
 *   the tool failed).
 * - Thought signatures are replayed on the parts they came with; a Gemini 3 model turn whose calls
 *   lost theirs gets the documented sentinel on its first call.
 * - Adjacent turns of the same role are merged; empty text is dropped.
 * - Images: base64 and data URLs are inlined, http(s) URLs are downloaded and inlined, other URIs
 *   (`gs://`, Gemini file URIs) are passed as `fileData` for Gemini to read.
 *
 * @see https://ai.google.dev/gemini-api/docs/function-calling
 */
export async function convertToGeminiContents(messages: readonly Message[], settings: GeminiContentsSettings): Promise<GeminiPrompt> {
  const toolNames = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.content) {
      if (part.type === 'tool-call') {
        toolNames.set(part.id, part.name);
      }
    }
  }
  const system: Array<{ text: string }> = [];
  const contents: GeminiContent[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push(...message.content.flatMap((part) => (part.type === 'text' && part.text !== '' ? [{ text: part.text }] : [])));
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts =
      role === 'model'
        ? convertModelParts(message.content, isGemini3Model(settings.model))
        : await convertUserParts(message.content, toolNames, settings);
    if (parts.length === 0) {
      continue;
    }
    const previous = contents.at(-1);
    if (previous?.role === role) {
      previous.parts.push(...parts);
    } else {
      contents.push({ role, parts });
    }
  }
  for (const content of contents) {
    if (content.role === 'user') {
      content.parts = [...content.parts.filter(isFunctionResponse), ...content.parts.filter((part) => !isFunctionResponse(part))];
    }
  }
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function convertModelParts(content: readonly ContentPart[], gemini3: boolean): GeminiPart[] {
  let signedCall = false;
  return content.flatMap((part): GeminiPart[] => {
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'reasoning': {
        const signature = nonEmpty(part.signature);
        if (part.text === '') {
          // A signature Gemini attached to an (empty) answer part rather than to a thought.
          return signature === undefined ? [] : [{ text: '', thoughtSignature: signature }];
        }
        return [{ text: part.text, thought: true, ...(signature === undefined ? {} : { thoughtSignature: signature }) }];
      }
      case 'tool-call': {
        let signature = nonEmpty(part.signature);
        // Gemini 3 signs only the first of parallel calls; a turn with no signed call gets the sentinel once.
        if (signature === undefined && gemini3 && !signedCall) {
          signature = SKIP_THOUGHT_SIGNATURE_VALIDATOR;
        }
        signedCall ||= signature !== undefined;
        const functionCall = { name: part.name, args: parseToolArguments(part.arguments, part.name) };
        return [signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature }];
      }
      default:
        return [];
    }
  });
}

async function convertUserParts(
  content: readonly ContentPart[],
  toolNames: ReadonlyMap<string, string>,
  settings: GeminiContentsSettings,
): Promise<GeminiPart[]> {
  const converted = await Promise.all(
    content.map(async (part): Promise<GeminiPart[]> => {
      switch (part.type) {
        case 'text':
          return part.text === '' ? [] : [{ text: part.text }];
        case 'image':
          return [await convertImage(part, settings)];
        case 'document':
          return [convertDocument(part)];
        case 'tool-result': {
          const images = await Promise.all(part.content.flatMap((item) => (item.type === 'image' ? [convertImage(item, settings)] : [])));
          return [convertToolResult(part, toolNames), ...images];
        }
        default:
          return [];
      }
    }),
  );
  return converted.flat();
}

function convertToolResult(part: ToolResultPart, toolNames: ReadonlyMap<string, string>): GeminiPart {
  const name = nonEmpty(part.toolName) ?? toolNames.get(part.toolCallId);
  if (name === undefined) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `the tool result for call ${part.toolCallId} answers no earlier tool call, and Gemini needs the tool's name`,
      providerId: GOOGLE_PLUGIN_ID,
    });
  }
  const text = part.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n');
  const parsed = parseJson(text);
  let response: JsonObject;
  if (part.isError === true) {
    response = { error: parsed ?? text };
  } else if (isRecord(parsed)) {
    response = parsed as JsonObject;
  } else {
    response = { content: parsed ?? text };
  }
  return { functionResponse: { name, response } };
}

async function convertImage(part: ImagePart, settings: GeminiContentsSettings): Promise<GeminiPart> {
  const { source } = part;
  if (source.kind === 'base64') {
    return { inlineData: { mimeType: source.mediaType, data: source.data } };
  }
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl?.[1] !== undefined && dataUrl[2] !== undefined) {
    return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  }
  if (/^https?:\/\//i.test(source.url) && !isGeminiFileUri(source.url)) {
    return { inlineData: await settings.loadImage(source.url) };
  }
  return { fileData: { fileUri: source.url } };
}

/**
 * A document as Gemini reads it: bytes as `inlineData` of their media type (`application/pdf`), a link
 * as `fileData` that Gemini fetches itself, plain text as a text part.
 * @see https://ai.google.dev/gemini-api/docs/document-processing
 */
function convertDocument(part: DocumentPart): GeminiPart {
  const { source } = part;
  if (source.kind === 'text') return { text: source.text };
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  return { fileData: { fileUri: source.url, mimeType: 'application/pdf' } };
}

/** Files uploaded through Gemini's Files API are read by Gemini itself, with the caller's key. */
function isGeminiFileUri(url: string): boolean {
  return /^https:\/\/generativelanguage\.googleapis\.com\/[^/]+\/files\//i.test(url);
}

/** Gemini takes the arguments as an object; canonical history carries OpenAI's JSON text. */
function parseToolArguments(text: string, toolName: string): JsonObject {
  if (text.trim() === '') {
    return {};
  }
  const parsed = parseJson(text);
  if (!isRecord(parsed)) {
    throw new ProviderError({
      kind: 'invalid_request',
      message: `the arguments of the earlier call to tool "${toolName}" are not a JSON object`,
      providerId: GOOGLE_PLUGIN_ID,
    });
  }
  return parsed as JsonObject;
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function isFunctionResponse(part: GeminiPart): boolean {
  return 'functionResponse' in part;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
