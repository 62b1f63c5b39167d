import { fromBinary, toJson, type JsonObject } from '@bufbuild/protobuf';
import { StructSchema } from '@bufbuild/protobuf/wkt';
import type * as sdk from '@nachos/plugin-sdk';
import { fromProtoSeed, PROTOCOL_FAMILIES, reasoningEfforts } from './chat-request-codec.js';
import { codecError } from './codec-error.js';
import { readMessage } from './chat-message-reader.js';
import { BIT64, LENGTH_DELIMITED, tagOf, VARINT, WireReader } from './wire-reader.js';

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
