import { fromBinary, toJson, type JsonObject } from '@bufbuild/protobuf';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import type * as sdk from '@nachos/plugin-sdk';
import { fromProtoSeed, PROTOCOL_FAMILIES, reasoningEfforts } from './chat-request-codec.js';
import { codecError } from './codec-error.js';
import { imageDetails, roles } from './message-codec.js';
import { BIT64, LENGTH_DELIMITED, VARINT, WireReader } from './wire-reader.js';

/**
 * A `ChatRequest` read by hand from its bytes straight into the canonical request, as llm-proxy
 * receives it in the frame that opens a call: no proto message is built by reflection and then copied.
 * The result, and the error for a request it refuses, are those of `fromProtoChatRequest(fromBinary(…))`
 * for every request the gateway writes (each singular field once; unknown fields are skipped);
 * chat-request-reader.test.ts compares both. Struct fields (tool parameters, JSON schemas, pass-through
 * fields) are rare enough to go through protobuf-es.
 */
export function readChatRequest(bytes: Uint8Array): sdk.ChatRequest {
  const r = new WireReader(bytes);
  const end = r.bytes.length;
  let model = '';
  const messages: sdk.Message[] = [];
  const tools: sdk.ToolDefinition[] = [];
  let toolChoice: sdk.ToolChoice | undefined;
  let parallelToolCalls: boolean | undefined;
  let sampling: sdk.Sampling | undefined;
  let responseFormat: sdk.ResponseFormat | undefined;
  let reasoning: sdk.ReasoningOptions | undefined;
  let user: string | undefined;
  let metadata: Record<string, string> | undefined;
  let stream = false;
  let passthrough: sdk.PassthroughFields | undefined;
  const anthropicBeta: string[] = [];
  let choices: number | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    switch (tag) {
      case tagOf(1, LENGTH_DELIMITED):
        model = r.string(end);
        break;
      case tagOf(2, LENGTH_DELIMITED):
        messages.push(readMessage(r, r.fieldEnd(end)));
        break;
      case tagOf(3, LENGTH_DELIMITED):
        tools.push(readToolDefinition(r, r.fieldEnd(end)));
        break;
      case tagOf(4, LENGTH_DELIMITED):
        toolChoice = readToolChoice(r, r.fieldEnd(end));
        break;
      case tagOf(5, VARINT):
        parallelToolCalls = r.bool(end);
        break;
      case tagOf(6, LENGTH_DELIMITED):
        sampling = readSampling(r, r.fieldEnd(end));
        break;
      case tagOf(7, LENGTH_DELIMITED):
        responseFormat = readResponseFormat(r, r.fieldEnd(end));
        break;
      case tagOf(8, LENGTH_DELIMITED):
        reasoning = readReasoning(r, r.fieldEnd(end));
        break;
      case tagOf(9, LENGTH_DELIMITED):
        user = r.string(end);
        break;
      case tagOf(10, LENGTH_DELIMITED):
        metadata ??= {};
        readMapEntry(r, r.fieldEnd(end), metadata);
        break;
      case tagOf(11, VARINT):
        stream = r.bool(end);
        break;
      case tagOf(12, LENGTH_DELIMITED):
        passthrough = readPassthrough(r, r.fieldEnd(end));
        break;
      case tagOf(13, LENGTH_DELIMITED):
        anthropicBeta.push(r.string(end));
        break;
      case tagOf(14, VARINT):
        choices = r.varint(end) | 0;
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  // The canonical request's keys in the order the reflective codec gives them, absent ones left out.
  const shaped = { model, messages } as sdk.ChatRequest;
  if (tools.length > 0) shaped.tools = tools;
  if (toolChoice !== undefined) shaped.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) shaped.parallelToolCalls = parallelToolCalls;
  shaped.sampling = sampling ?? {};
  if (responseFormat !== undefined) shaped.responseFormat = responseFormat;
  if (reasoning !== undefined) shaped.reasoning = reasoning;
  if (user !== undefined) shaped.user = user;
  if (metadata !== undefined) shaped.metadata = metadata;
  shaped.stream = stream;
  if (passthrough !== undefined) shaped.passthrough = passthrough;
  if (anthropicBeta.length > 0) shaped.anthropicBeta = anthropicBeta;
  if (choices !== undefined) shaped.choices = choices;
  return shaped;
}

function tagOf(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

function readMessage(r: WireReader, end: number): sdk.Message {
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

function readToolDefinition(r: WireReader, end: number): sdk.ToolDefinition {
  let name = '';
  let description: string | undefined;
  let parameters: JsonObject | undefined;
  let strict: boolean | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) name = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) description = r.string(end);
    else if (tag === tagOf(3, LENGTH_DELIMITED)) parameters = readStruct(r, end);
    else if (tag === tagOf(4, VARINT)) strict = r.bool(end);
    else r.skip(tag & 7, end);
  }
  const tool = { name } as sdk.ToolDefinition;
  if (description !== undefined) tool.description = description;
  tool.parameters = parameters ?? {};
  if (strict !== undefined) tool.strict = strict;
  return tool;
}

function readToolChoice(r: WireReader, end: number): sdk.ToolChoice {
  let choice: sdk.ToolChoice | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, VARINT) || tag === tagOf(2, VARINT) || tag === tagOf(3, VARINT)) {
      r.varint(end);
      choice = { type: tag === tagOf(1, VARINT) ? 'auto' : tag === tagOf(2, VARINT) ? 'none' : 'required' };
    } else if (tag === tagOf(4, LENGTH_DELIMITED)) choice = { type: 'tool', name: r.string(end) };
    else r.skip(tag & 7, end);
  }
  if (choice === undefined) throw codecError('invalid_request', 'Tool choice has no known kind');
  return choice;
}

function readSampling(r: WireReader, end: number): sdk.Sampling {
  let maxTokens: number | undefined;
  let temperature: number | undefined;
  let topP: number | undefined;
  let topK: number | undefined;
  const stop: string[] = [];
  let seed: bigint | undefined;
  let presencePenalty: number | undefined;
  let frequencyPenalty: number | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, VARINT)) maxTokens = r.varint(end) | 0;
    else if (tag === tagOf(2, BIT64)) temperature = r.double(end);
    else if (tag === tagOf(3, BIT64)) topP = r.double(end);
    else if (tag === tagOf(4, VARINT)) topK = r.varint(end) | 0;
    else if (tag === tagOf(5, LENGTH_DELIMITED)) stop.push(r.string(end));
    else if (tag === tagOf(6, VARINT)) seed = r.int64(end);
    else if (tag === tagOf(7, BIT64)) presencePenalty = r.double(end);
    else if (tag === tagOf(8, BIT64)) frequencyPenalty = r.double(end);
    else r.skip(tag & 7, end);
  }
  const sampling: sdk.Sampling = {};
  if (maxTokens !== undefined) sampling.maxTokens = maxTokens;
  if (temperature !== undefined) sampling.temperature = temperature;
  if (topP !== undefined) sampling.topP = topP;
  if (topK !== undefined) sampling.topK = topK;
  if (stop.length > 0) sampling.stop = stop;
  if (seed !== undefined) sampling.seed = fromProtoSeed(seed);
  if (presencePenalty !== undefined) sampling.presencePenalty = presencePenalty;
  if (frequencyPenalty !== undefined) sampling.frequencyPenalty = frequencyPenalty;
  return sampling;
}

function readResponseFormat(r: WireReader, end: number): sdk.ResponseFormat {
  let format: sdk.ResponseFormat | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, VARINT) || tag === tagOf(2, VARINT)) {
      r.varint(end);
      format = { type: tag === tagOf(1, VARINT) ? 'text' : 'json_object' };
    } else if (tag === tagOf(3, LENGTH_DELIMITED)) format = readJsonSchema(r, r.fieldEnd(end));
    else r.skip(tag & 7, end);
  }
  if (format === undefined) throw codecError('invalid_request', 'Response format has no known kind');
  return format;
}

function readJsonSchema(r: WireReader, end: number): sdk.ResponseFormat {
  let name = '';
  let schema: JsonObject | undefined;
  let strict: boolean | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) name = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) schema = readStruct(r, end);
    else if (tag === tagOf(3, VARINT)) strict = r.bool(end);
    else r.skip(tag & 7, end);
  }
  return strict === undefined ? { type: 'json_schema', name, schema: schema ?? {} } : { type: 'json_schema', name, schema: schema ?? {}, strict };
}

function readReasoning(r: WireReader, end: number): sdk.ReasoningOptions {
  let effort = 0;
  let budgetTokens: number | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, VARINT)) effort = r.varint(end) | 0;
    else if (tag === tagOf(2, VARINT)) budgetTokens = r.varint(end) | 0;
    else r.skip(tag & 7, end);
  }
  const reasoning: sdk.ReasoningOptions = {};
  if (effort !== 0) {
    const canonical = reasoningEfforts.fromProto(effort);
    if (canonical === undefined) throw codecError('invalid_request', `Unknown reasoning effort ${effort}`);
    reasoning.effort = canonical;
  }
  if (budgetTokens !== undefined) reasoning.budgetTokens = budgetTokens;
  return reasoning;
}

function readPassthrough(r: WireReader, end: number): sdk.PassthroughFields {
  let family = '';
  let fields: JsonObject | undefined;
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) family = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) fields = readStruct(r, end);
    else r.skip(tag & 7, end);
  }
  if (!PROTOCOL_FAMILIES.has(family)) throw codecError('invalid_request', `Unknown passthrough family "${family}"`);
  return { family: family as sdk.ProtocolFamily, fields: fields ?? {} };
}

/** A `map<string, string>` entry into `map`; a later entry for a key replaces an earlier one. */
export function readMapEntry(r: WireReader, end: number, map: Record<string, string>): void {
  let key = '';
  let value = '';
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag === tagOf(1, LENGTH_DELIMITED)) key = r.string(end);
    else if (tag === tagOf(2, LENGTH_DELIMITED)) value = r.string(end);
    else r.skip(tag & 7, end);
  }
  map[key] = value;
}

function readStruct(r: WireReader, end: number): JsonObject {
  return toJson(StructSchema, fromBinary(StructSchema, r.sub(end))) as JsonObject;
}
