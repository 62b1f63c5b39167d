import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type * as sdk from '@nachos/plugin-sdk';
import {
  ChatRequestSchema,
  ReasoningEffort,
  type ChatRequest,
  type Passthrough,
  type ReasoningOptions,
  type ReasoningOptionsSchema,
  type ResponseFormat,
  type ResponseFormatSchema,
  type Sampling,
  type SamplingSchema,
  type ToolChoice,
  type ToolChoiceSchema,
  type ToolDefinition,
  type ToolDefinitionSchema,
} from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { codecError } from './codec-error.js';
import { createEnumMapping } from './enum-mapping.js';
import { fromProtoMessage, toProtoMessage } from './message-codec.js';
import { omitUndefined } from './omit-undefined.js';

/**
 * The canonical `ChatRequest` ⇄ proto `ChatRequest`. Every optional canonical field maps to an
 * `optional` proto field, so absence survives the wire. The exceptions are lists and maps, which proto3
 * cannot mark optional: `tools`, `sampling.stop` and `metadata` decode as absent when empty, which every
 * provider treats like an empty list anyway.
 */

export const reasoningEfforts = createEnumMapping<sdk.ReasoningEffort, ReasoningEffort>(
  'reasoning effort',
  'invalid_request',
  {
    none: ReasoningEffort.NONE,
    minimal: ReasoningEffort.MINIMAL,
    low: ReasoningEffort.LOW,
    medium: ReasoningEffort.MEDIUM,
    high: ReasoningEffort.HIGH,
    xhigh: ReasoningEffort.XHIGH,
    max: ReasoningEffort.MAX,
  },
);

export const PROTOCOL_FAMILIES: ReadonlySet<string> = new Set<sdk.ProtocolFamily>(['openai', 'anthropic', 'google', 'ollama']);

export function toProtoChatRequest(request: sdk.ChatRequest): ChatRequest {
  return create(ChatRequestSchema, {
    model: request.model,
    messages: request.messages.map(toProtoMessage),
    tools: request.tools?.map(toProtoToolDefinition),
    toolChoice: request.toolChoice === undefined ? undefined : toProtoToolChoice(request.toolChoice),
    parallelToolCalls: request.parallelToolCalls,
    sampling: toProtoSampling(request.sampling),
    responseFormat: request.responseFormat === undefined ? undefined : toProtoResponseFormat(request.responseFormat),
    reasoning: request.reasoning === undefined ? undefined : toProtoReasoning(request.reasoning),
    user: request.user,
    metadata: request.metadata,
    stream: request.stream,
    passthrough: request.passthrough,
    anthropicBeta: request.anthropicBeta,
    choices: request.choices,
  });
}

export function fromProtoChatRequest(request: ChatRequest): sdk.ChatRequest {
  return omitUndefined({
    model: request.model,
    messages: request.messages.map(fromProtoMessage),
    tools: request.tools.length === 0 ? undefined : request.tools.map(fromProtoToolDefinition),
    toolChoice: request.toolChoice === undefined ? undefined : fromProtoToolChoice(request.toolChoice),
    parallelToolCalls: request.parallelToolCalls,
    sampling: request.sampling === undefined ? {} : fromProtoSampling(request.sampling),
    responseFormat: request.responseFormat === undefined ? undefined : fromProtoResponseFormat(request.responseFormat),
    reasoning: request.reasoning === undefined ? undefined : fromProtoReasoning(request.reasoning),
    user: request.user,
    metadata: Object.keys(request.metadata).length === 0 ? undefined : { ...request.metadata },
    stream: request.stream,
    passthrough: request.passthrough === undefined ? undefined : fromProtoPassthrough(request.passthrough),
    anthropicBeta: request.anthropicBeta.length === 0 ? undefined : [...request.anthropicBeta],
    choices: request.choices,
  });
}

function toProtoToolDefinition(tool: sdk.ToolDefinition): MessageInitShape<typeof ToolDefinitionSchema> {
  return { name: tool.name, description: tool.description, parameters: tool.parameters, strict: tool.strict };
}

function fromProtoToolDefinition(tool: ToolDefinition): sdk.ToolDefinition {
  return omitUndefined({
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters ?? {},
    strict: tool.strict,
  });
}

function toProtoToolChoice(choice: sdk.ToolChoice): MessageInitShape<typeof ToolChoiceSchema> {
  switch (choice.type) {
    case 'auto':
      return { choice: { case: 'auto', value: true } };
    case 'none':
      return { choice: { case: 'none', value: true } };
    case 'required':
      return { choice: { case: 'required', value: true } };
    case 'tool':
      return { choice: { case: 'tool', value: choice.name } };
    default:
      throw codecError('invalid_request', `Unknown tool choice "${(choice as { type: unknown }).type}"`);
  }
}

function fromProtoToolChoice(choice: ToolChoice): sdk.ToolChoice {
  switch (choice.choice.case) {
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'required' };
    case 'tool':
      return { type: 'tool', name: choice.choice.value };
    default:
      throw codecError('invalid_request', 'Tool choice has no known kind');
  }
}

function toProtoSampling(sampling: sdk.Sampling): MessageInitShape<typeof SamplingSchema> {
  return {
    maxTokens: sampling.maxTokens,
    temperature: sampling.temperature,
    topP: sampling.topP,
    topK: sampling.topK,
    stop: sampling.stop ?? [],
    seed: sampling.seed === undefined ? undefined : toProtoSeed(sampling.seed),
    presencePenalty: sampling.presencePenalty,
    frequencyPenalty: sampling.frequencyPenalty,
  };
}

function fromProtoSampling(sampling: Sampling): sdk.Sampling {
  return omitUndefined({
    maxTokens: sampling.maxTokens,
    temperature: sampling.temperature,
    topP: sampling.topP,
    topK: sampling.topK,
    stop: sampling.stop.length === 0 ? undefined : [...sampling.stop],
    seed: sampling.seed === undefined ? undefined : fromProtoSeed(sampling.seed),
    presencePenalty: sampling.presencePenalty,
    frequencyPenalty: sampling.frequencyPenalty,
  });
}

/** `seed` is an int64 on the wire; a JavaScript number holds it exactly only as a safe integer. */
export function toProtoSeed(seed: number): bigint {
  if (!Number.isSafeInteger(seed)) throw codecError('invalid_request', `seed must be an integer, got ${seed}`);
  return BigInt(seed);
}

export function fromProtoSeed(seed: bigint): number {
  const value = Number(seed);
  if (!Number.isSafeInteger(value)) throw codecError('invalid_request', `seed ${seed} is out of range`);
  return value;
}

function toProtoResponseFormat(format: sdk.ResponseFormat): MessageInitShape<typeof ResponseFormatSchema> {
  switch (format.type) {
    case 'text':
      return { format: { case: 'text', value: true } };
    case 'json_object':
      return { format: { case: 'jsonObject', value: true } };
    case 'json_schema':
      return {
        format: { case: 'jsonSchema', value: { name: format.name, schema: format.schema, strict: format.strict } },
      };
    default:
      throw codecError('invalid_request', `Unknown response format "${(format as { type: unknown }).type}"`);
  }
}

function fromProtoResponseFormat(format: ResponseFormat): sdk.ResponseFormat {
  switch (format.format.case) {
    case 'text':
      return { type: 'text' };
    case 'jsonObject':
      return { type: 'json_object' };
    case 'jsonSchema': {
      const { name, schema, strict } = format.format.value;
      return omitUndefined({ type: 'json_schema', name, schema: schema ?? {}, strict });
    }
    default:
      throw codecError('invalid_request', 'Response format has no known kind');
  }
}

function toProtoReasoning(reasoning: sdk.ReasoningOptions): MessageInitShape<typeof ReasoningOptionsSchema> {
  return {
    effort: reasoning.effort === undefined ? ReasoningEffort.UNSPECIFIED : reasoningEfforts.toProto(reasoning.effort),
    budgetTokens: reasoning.budgetTokens,
  };
}

function fromProtoReasoning(reasoning: ReasoningOptions): sdk.ReasoningOptions {
  let effort: sdk.ReasoningEffort | undefined;
  if (reasoning.effort !== ReasoningEffort.UNSPECIFIED) {
    effort = reasoningEfforts.fromProto(reasoning.effort);
    if (effort === undefined) throw codecError('invalid_request', `Unknown reasoning effort ${reasoning.effort}`);
  }
  return omitUndefined({ effort, budgetTokens: reasoning.budgetTokens });
}

function fromProtoPassthrough(passthrough: Passthrough): sdk.PassthroughFields {
  if (!PROTOCOL_FAMILIES.has(passthrough.family)) {
    throw codecError('invalid_request', `Unknown passthrough family "${passthrough.family}"`);
  }
  return { family: passthrough.family as sdk.ProtocolFamily, fields: passthrough.fields ?? {} };
}
