import type * as sdk from '@nachos/plugin-sdk';
import { codecError } from './codec-error.js';
import { imageDetails, roles } from './message-codec.js';
import { LENGTH_DELIMITED, tagOf, VARINT, WireReader } from './wire-reader.js';

/**
 * A `Message` of a `ChatRequest` read by hand into the canonical message: its role, name and content
 * parts (text, images, documents, tool calls and results, reasoning), as chat-request-reader.ts reads
 * the request around it.
 */
export function readMessage(r: WireReader, end: number): sdk.Message {
  let role = 0;
  const content: sdk.ContentPart[] = [];
  let name: string | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, VARINT)) role = r.varint(end) | 0;
    else if (tag === tagOf(2, LENGTH_DELIMITED)) content.push(readContentPart(r, r.fieldEnd(end)));
    else if (tag === tagOf(3, LENGTH_DELIMITED)) name = r.string(end);
    else r.skip(tag & 7, end);
  }
  const canonical = roles.fromProto(role);
  if (canonical === undefined) throw codecError('invalid_request', `Message has no known role (${role})`);
  return name === undefined ? { role: canonical, content } : { role: canonical, content, name };
}

/** A part and the cache breakpoint after it (reasoning parts carry none canonically). */
function readContentPart(r: WireReader, end: number): sdk.ContentPart {
  let part: sdk.ContentPart | undefined;
  let cache: { ttl?: string } | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    const field = tag >>> 3;
    if ((tag & 7) !== LENGTH_DELIMITED || field < 1 || field > 8) {
      r.skip(tag & 7, end);
      continue;
    }
    const stop = r.fieldEnd(end);
    switch (field) {
      case 1:
        part = { type: 'text', text: readText(r, stop) };
        break;
      case 2:
        part = readImage(r, stop);
        break;
      case 3:
        part = readToolCall(r, stop);
        break;
      case 4:
        part = readToolResult(r, stop);
        break;
      case 5:
        part = readReasoningPart(r, stop);
        break;
      case 6:
        part = { type: 'redacted-reasoning', data: readText(r, stop) };
        break;
      case 7:
        part = readDocument(r, stop);
        break;
      default:
        cache = readCacheControl(r, stop);
    }
  }
  if (part === undefined) throw codecError('invalid_request', 'Content part has no known kind');
  if (cache === undefined || part.type === 'reasoning' || part.type === 'redacted-reasoning') return part;
  return { ...part, cacheControl: cache.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cache.ttl } };
}

/** The one string field 1 of a message (`TextPart.text`, `RedactedReasoningPart.data`). */
function readText(r: WireReader, end: number): string {
  let text = '';
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) text = r.string(end);
    else r.skip(tag & 7, end);
  }
  return text;
}

function readCacheControl(r: WireReader, end: number): { ttl?: string } {
  const cache: { ttl?: string } = {};
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) cache.ttl = r.string(end);
    else r.skip(tag & 7, end);
  }
  return cache;
}

function readImage(r: WireReader, end: number): sdk.ImagePart {
  let source: sdk.ImageSource | undefined;
  let detail = 0;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) source = { kind: 'url', url: r.string(end) };
    else if (tag === tagOf(2, LENGTH_DELIMITED)) source = readBase64(r, r.fieldEnd(end));
    else if (tag === tagOf(3, VARINT)) detail = r.varint(end) | 0;
    else r.skip(tag & 7, end);
  }
  if (source === undefined) throw codecError('invalid_request', 'Image has neither a URL nor base64 data');
  const canonical = imageDetails.fromProto(detail);
  return canonical === undefined ? { type: 'image', source } : { type: 'image', source, detail: canonical };
}

function readBase64(r: WireReader, end: number): { kind: 'base64'; mediaType: string; data: string } {
  let mediaType = '';
  let data = '';
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) mediaType = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) data = r.string(end);
    else r.skip(tag & 7, end);
  }
  return { kind: 'base64', mediaType, data };
}

function readDocument(r: WireReader, end: number): sdk.DocumentPart {
  let source: sdk.DocumentSource | undefined;
  let filename: string | undefined;
  let title: string | undefined;
  let context: string | undefined;
  let citations: boolean | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) source = { kind: 'url', url: r.string(end) };
    else if (tag === tagOf(2, LENGTH_DELIMITED)) source = readBase64(r, r.fieldEnd(end));
    else if (tag === tagOf(3, LENGTH_DELIMITED)) source = { kind: 'text', text: r.string(end) };
    else if (tag === tagOf(4, LENGTH_DELIMITED)) filename = r.string(end);
    else if (tag === tagOf(5, LENGTH_DELIMITED)) title = r.string(end);
    else if (tag === tagOf(6, LENGTH_DELIMITED)) context = r.string(end);
    else if (tag === tagOf(7, VARINT)) citations = r.bool(end);
    else r.skip(tag & 7, end);
  }
  if (source === undefined) throw codecError('invalid_request', 'Document has neither a URL, base64 data nor text');
  const part: sdk.DocumentPart = { type: 'document', source };
  if (filename !== undefined) part.filename = filename;
  if (title !== undefined) part.title = title;
  if (context !== undefined) part.context = context;
  if (citations !== undefined) part.citations = citations;
  return part;
}

function readToolCall(r: WireReader, end: number): sdk.ToolCallPart {
  let id = '';
  let name = '';
  let args = '';
  let signature: string | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) id = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) name = r.string(end);
    else if (tag === tagOf(3, LENGTH_DELIMITED)) args = r.string(end);
    else if (tag === tagOf(4, LENGTH_DELIMITED)) signature = r.string(end);
    else r.skip(tag & 7, end);
  }
  const part: sdk.ToolCallPart = { type: 'tool-call', id, name, arguments: args };
  if (signature !== undefined) part.signature = signature;
  return part;
}

function readToolResult(r: WireReader, end: number): sdk.ToolResultPart {
  let toolCallId = '';
  let toolName: string | undefined;
  const content: Array<sdk.TextPart | sdk.ImagePart> = [];
  let isError: boolean | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) toolCallId = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) toolName = r.string(end);
    else if (tag === tagOf(3, LENGTH_DELIMITED)) content.push(readToolResultContent(r, r.fieldEnd(end)));
    else if (tag === tagOf(4, VARINT)) isError = r.bool(end);
    else r.skip(tag & 7, end);
  }
  const part = { type: 'tool-result', toolCallId } as sdk.ToolResultPart;
  if (toolName !== undefined) part.toolName = toolName;
  part.content = content;
  if (isError !== undefined) part.isError = isError;
  return part;
}

function readToolResultContent(r: WireReader, end: number): sdk.TextPart | sdk.ImagePart {
  let part: sdk.TextPart | sdk.ImagePart | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) part = { type: 'text', text: readText(r, r.fieldEnd(end)) };
    else if (tag === tagOf(2, LENGTH_DELIMITED)) part = readImage(r, r.fieldEnd(end));
    else r.skip(tag & 7, end);
  }
  if (part === undefined) throw codecError('invalid_request', 'Tool result content has no known kind');
  return part;
}

function readReasoningPart(r: WireReader, end: number): sdk.ReasoningPart {
  let text = '';
  let signature: string | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) text = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) signature = r.string(end);
    else r.skip(tag & 7, end);
  }
  return signature === undefined ? { type: 'reasoning', text } : { type: 'reasoning', text, signature };
}
