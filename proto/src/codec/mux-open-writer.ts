import { fromJson, toBinary, type JsonObject } from '@bufbuild/protobuf';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import { WireType } from '@bufbuild/protobuf/wire';
import type * as sdk from '@nachos/plugin-sdk';
import { ImageDetail, ReasoningEffort } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import type { CallerContext } from './caller-policy-codec.js';
import { reasoningEfforts, toProtoSeed } from './chat-request-codec.js';
import { codecError } from './codec-error.js';
import { ProtoWriter } from './proto-writer.js';
import { imageDetails, roles } from './message-codec.js';

/**
 * The `MuxOpen` that starts a chat, written by hand from the .proto's field numbers straight from the
 * canonical request into one buffer (proto-writer.ts): no proto message is built by reflection and then
 * walked again to encode it. The
 * bytes are what `toBinary(MuxOpenSchema, …)` writes for `toProtoChatRequest` and `toProtoCallerPolicy`
 * (fields in number order, proto3 defaults left out, `optional` fields written when present) and the
 * same requests are refused with the same errors; mux-open-writer.test.ts compares both. Struct fields
 * (tool parameters, JSON schemas, pass-through fields) are rare enough to go through protobuf-es.
 */
export interface MuxOpenFields {
  request: sdk.ChatRequest;
  requestId: string;
  /** 0: no deadline. */
  timeoutMs: number;
  credit: number;
  caller?: CallerContext;
}

const { Varint, Bit64, LengthDelimited } = WireType;

export function writeMuxOpen(open: MuxOpenFields): Uint8Array {
  const writer = new ProtoWriter();
  writer.tag(1, LengthDelimited).fork();
  writeChatRequest(writer, open.request);
  writer.join();
  if (open.requestId !== '') writer.tag(2, LengthDelimited).string(open.requestId);
  if (open.timeoutMs !== 0) writer.tag(3, Varint).uint32(open.timeoutMs);
  if (open.credit !== 0) writer.tag(4, Varint).uint32(open.credit);
  if (open.caller) {
    writer.tag(5, LengthDelimited).fork();
    writeCallerPolicy(writer, open.caller);
    writer.join();
  }
  return writer.finish();
}

function writeChatRequest(writer: ProtoWriter, request: sdk.ChatRequest): void {
  if (request.model !== '') writer.tag(1, LengthDelimited).string(request.model);
  for (const message of request.messages) {
    writer.tag(2, LengthDelimited).fork();
    writeMessage(writer, message);
    writer.join();
  }
  for (const tool of request.tools ?? []) {
    writer.tag(3, LengthDelimited).fork();
    if (tool.name !== '') writer.tag(1, LengthDelimited).string(tool.name);
    if (tool.description !== undefined) writer.tag(2, LengthDelimited).string(tool.description);
    if (tool.parameters !== undefined) writeStruct(writer, 3, tool.parameters);
    if (tool.strict !== undefined) writer.tag(4, Varint).bool(tool.strict);
    writer.join();
  }
  if (request.toolChoice !== undefined) writeToolChoice(writer, request.toolChoice);
  if (request.parallelToolCalls !== undefined) writer.tag(5, Varint).bool(request.parallelToolCalls);
  writer.tag(6, LengthDelimited).fork();
  writeSampling(writer, request.sampling);
  writer.join();
  if (request.responseFormat !== undefined) writeResponseFormat(writer, request.responseFormat);
  if (request.reasoning !== undefined) {
    const { effort, budgetTokens } = request.reasoning;
    const proto = effort === undefined ? ReasoningEffort.UNSPECIFIED : reasoningEfforts.toProto(effort);
    writer.tag(8, LengthDelimited).fork();
    if (proto !== ReasoningEffort.UNSPECIFIED) writer.tag(1, Varint).int32(proto);
    if (budgetTokens !== undefined) writeInt32(writer.tag(2, Varint), 'ReasoningOptions.budget_tokens', budgetTokens);
    writer.join();
  }
  if (request.user !== undefined) writer.tag(9, LengthDelimited).string(request.user);
  if (request.metadata) writeStringMap(writer, 10, request.metadata);
  if (request.stream) writer.tag(11, Varint).bool(true);
  if (request.passthrough !== undefined) {
    writer.tag(12, LengthDelimited).fork();
    writer.tag(1, LengthDelimited).string(request.passthrough.family);
    if (request.passthrough.fields !== undefined) writeStruct(writer, 2, request.passthrough.fields);
    writer.join();
  }
  for (const beta of request.anthropicBeta ?? []) writer.tag(13, LengthDelimited).string(beta);
  if (request.choices !== undefined) writer.tag(14, Varint).int32(request.choices);
}

function writeMessage(writer: ProtoWriter, message: sdk.Message): void {
  writer.tag(1, Varint).int32(roles.toProto(message.role));
  for (const part of message.content) {
    writer.tag(2, LengthDelimited).fork();
    writeContentPart(writer, part);
    const cache = 'cacheControl' in part ? part.cacheControl : undefined;
    if (cache) {
      writer.tag(8, LengthDelimited).fork();
      if (cache.ttl !== undefined) writer.tag(1, LengthDelimited).string(cache.ttl);
      writer.join();
    }
    writer.join();
  }
  if (message.name !== undefined) writer.tag(3, LengthDelimited).string(message.name);
}

/** The part's `oneof` member; the cache breakpoint (field 8) is the caller's. */
function writeContentPart(writer: ProtoWriter, part: sdk.ContentPart): void {
  switch (part.type) {
    case 'text':
      writeText(writer, 1, part.text);
      return;
    case 'image':
      writeImage(writer, 2, part);
      return;
    case 'tool-call':
      writer.tag(3, LengthDelimited).fork();
      if (part.id !== '') writer.tag(1, LengthDelimited).string(part.id);
      if (part.name !== '') writer.tag(2, LengthDelimited).string(part.name);
      if (part.arguments !== '') writer.tag(3, LengthDelimited).string(part.arguments);
      if (part.signature !== undefined) writer.tag(4, LengthDelimited).string(part.signature);
      writer.join();
      return;
    case 'tool-result':
      writer.tag(4, LengthDelimited).fork();
      if (part.toolCallId !== '') writer.tag(1, LengthDelimited).string(part.toolCallId);
      if (part.toolName !== undefined) writer.tag(2, LengthDelimited).string(part.toolName);
      for (const content of part.content) {
        writer.tag(3, LengthDelimited).fork();
        if (content.type === 'text') writeText(writer, 1, content.text);
        else writeImage(writer, 2, content);
        writer.join();
      }
      if (part.isError !== undefined) writer.tag(4, Varint).bool(part.isError);
      writer.join();
      return;
    case 'reasoning':
      writer.tag(5, LengthDelimited).fork();
      if (part.text !== '') writer.tag(1, LengthDelimited).string(part.text);
      if (part.signature !== undefined) writer.tag(2, LengthDelimited).string(part.signature);
      writer.join();
      return;
    case 'redacted-reasoning':
      writer.tag(6, LengthDelimited).fork();
      if (part.data !== '') writer.tag(1, LengthDelimited).string(part.data);
      writer.join();
      return;
    case 'document':
      writeDocument(writer, part);
      return;
    default:
      throw codecError('invalid_request', `Unknown content part type "${(part as { type: unknown }).type}"`);
  }
}

/** A `TextPart` as field `field`. */
function writeText(writer: ProtoWriter, field: number, text: string): void {
  writer.tag(field, LengthDelimited).fork();
  if (text !== '') writer.tag(1, LengthDelimited).string(text);
  writer.join();
}

/** An `ImagePart` as field `field`. */
function writeImage(writer: ProtoWriter, field: number, part: sdk.ImagePart): void {
  const { source } = part;
  writer.tag(field, LengthDelimited).fork();
  if (source.kind === 'url') writer.tag(1, LengthDelimited).string(source.url);
  else writeBase64(writer, 2, source.mediaType, source.data);
  const detail = part.detail === undefined ? ImageDetail.UNSPECIFIED : imageDetails.toProto(part.detail);
  if (detail !== ImageDetail.UNSPECIFIED) writer.tag(3, Varint).int32(detail);
  writer.join();
}

function writeDocument(writer: ProtoWriter, part: sdk.DocumentPart): void {
  const { source } = part;
  writer.tag(7, LengthDelimited).fork();
  if (source.kind === 'url') writer.tag(1, LengthDelimited).string(source.url);
  else if (source.kind === 'text') writer.tag(3, LengthDelimited).string(source.text);
  else writeBase64(writer, 2, source.mediaType, source.data);
  if (part.filename !== undefined) writer.tag(4, LengthDelimited).string(part.filename);
  if (part.title !== undefined) writer.tag(5, LengthDelimited).string(part.title);
  if (part.context !== undefined) writer.tag(6, LengthDelimited).string(part.context);
  if (part.citations !== undefined) writer.tag(7, Varint).bool(part.citations);
  writer.join();
}

/** A `Base64Image` as field `field`. */
function writeBase64(writer: ProtoWriter, field: number, mediaType: string, data: string): void {
  writer.tag(field, LengthDelimited).fork();
  if (mediaType !== '') writer.tag(1, LengthDelimited).string(mediaType);
  if (data !== '') writer.tag(2, LengthDelimited).string(data);
  writer.join();
}

function writeToolChoice(writer: ProtoWriter, choice: sdk.ToolChoice): void {
  switch (choice.type) {
    case 'auto':
    case 'none':
    case 'required':
      writer.tag(4, LengthDelimited).fork().tag(TOOL_CHOICE_FLAGS[choice.type], Varint).bool(true).join();
      return;
    case 'tool':
      writer.tag(4, LengthDelimited).fork().tag(4, LengthDelimited).string(choice.name).join();
      return;
    default:
      throw codecError('invalid_request', `Unknown tool choice "${(choice as { type: unknown }).type}"`);
  }
}

const TOOL_CHOICE_FLAGS = { auto: 1, none: 2, required: 3 } as const;

function writeSampling(writer: ProtoWriter, sampling: sdk.Sampling): void {
  if (sampling.maxTokens !== undefined) writeInt32(writer.tag(1, Varint), 'Sampling.max_tokens', sampling.maxTokens);
  if (sampling.temperature !== undefined) writer.tag(2, Bit64).double(sampling.temperature);
  if (sampling.topP !== undefined) writer.tag(3, Bit64).double(sampling.topP);
  if (sampling.topK !== undefined) writeInt32(writer.tag(4, Varint), 'Sampling.top_k', sampling.topK);
  for (const stop of sampling.stop ?? []) writer.tag(5, LengthDelimited).string(stop);
  if (sampling.seed !== undefined) writer.tag(6, Varint).int64(toProtoSeed(sampling.seed));
  if (sampling.presencePenalty !== undefined) writer.tag(7, Bit64).double(sampling.presencePenalty);
  if (sampling.frequencyPenalty !== undefined) writer.tag(8, Bit64).double(sampling.frequencyPenalty);
}

/**
 * The request's int32 fields take any integer the client sent; one out of range fails as it does in
 * protobuf-es, naming the field.
 */
function writeInt32(writer: ProtoWriter, field: string, value: number): void {
  try {
    writer.int32(value);
  } catch (error) {
    throw new Error(`cannot encode field nachos.llm.v1.${field} to binary: ${(error as Error).message}`);
  }
}

function writeResponseFormat(writer: ProtoWriter, format: sdk.ResponseFormat): void {
  switch (format.type) {
    case 'text':
    case 'json_object':
      writer.tag(7, LengthDelimited).fork().tag(format.type === 'text' ? 1 : 2, Varint).bool(true).join();
      return;
    case 'json_schema':
      writer.tag(7, LengthDelimited).fork().tag(3, LengthDelimited).fork();
      if (format.name !== '') writer.tag(1, LengthDelimited).string(format.name);
      if (format.schema !== undefined) writeStruct(writer, 2, format.schema);
      if (format.strict !== undefined) writer.tag(3, Varint).bool(format.strict);
      writer.join().join();
      return;
    default:
      throw codecError('invalid_request', `Unknown response format "${(format as { type: unknown }).type}"`);
  }
}

function writeCallerPolicy(writer: ProtoWriter, caller: CallerContext): void {
  for (const pattern of caller.allowedModels ?? []) writer.tag(1, LengthDelimited).string(pattern);
  if (caller.allowedModels !== undefined) writer.tag(2, Varint).bool(true);
  if (caller.providerKey) writer.tag(3, LengthDelimited).string(caller.providerKey.reveal());
  if (caller.clientHeaders) writeStringMap(writer, 4, caller.clientHeaders);
}

function writeStringMap(writer: ProtoWriter, field: number, map: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(map)) {
    writer.tag(field, LengthDelimited).fork().tag(1, LengthDelimited).string(key).tag(2, LengthDelimited).string(map[key]!).join();
  }
}

function writeStruct(writer: ProtoWriter, field: number, value: JsonObject | object): void {
  writer.tag(field, LengthDelimited).bytes(toBinary(StructSchema, fromJson(StructSchema, value as JsonObject)));
}
