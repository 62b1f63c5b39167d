import { create } from '@bufbuild/protobuf';
import type * as sdk from '@nachos/plugin-sdk';
import {
  CacheControlSchema,
  ContentPartSchema,
  DocumentPartSchema,
  ImageDetail,
  ImagePartSchema,
  MessageSchema,
  Role,
  ToolResultContentSchema,
  type ContentPart,
  type DocumentPart,
  type ImagePart,
  type Message,
  type ToolResultContent,
} from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { codecError } from './codec-error.js';
import { createEnumMapping } from './enum-mapping.js';
import { omitUndefined } from './omit-undefined.js';

/** Conversation messages and their content parts, the bulk of a chat request. */

export const roles = createEnumMapping<sdk.Role, Role>('role', 'invalid_request', {
  system: Role.SYSTEM,
  developer: Role.DEVELOPER,
  user: Role.USER,
  assistant: Role.ASSISTANT,
  tool: Role.TOOL,
});

export const imageDetails = createEnumMapping<NonNullable<sdk.ImagePart['detail']>, ImageDetail>(
  'image detail',
  'invalid_request',
  { auto: ImageDetail.AUTO, low: ImageDetail.LOW, high: ImageDetail.HIGH },
);

export function toProtoMessage(message: sdk.Message): Message {
  return create(MessageSchema, {
    role: roles.toProto(message.role),
    content: message.content.map(toProtoCacheableContentPart),
    name: message.name,
  });
}

export function fromProtoMessage(message: Message): sdk.Message {
  const role = roles.fromProto(message.role);
  if (role === undefined) throw codecError('invalid_request', `Message has no known role (${message.role})`);
  return omitUndefined({ role, content: message.content.map(fromProtoCacheableContentPart), name: message.name });
}

/** A part and the cache breakpoint after it, which travels beside the part whatever its kind. */
function toProtoCacheableContentPart(part: sdk.ContentPart): ContentPart {
  const converted = toProtoContentPart(part);
  const cache = 'cacheControl' in part ? part.cacheControl : undefined;
  if (cache) converted.cacheControl = create(CacheControlSchema, { ttl: cache.ttl });
  return converted;
}

function fromProtoCacheableContentPart(part: ContentPart): sdk.ContentPart {
  const converted = fromProtoContentPart(part);
  if (!part.cacheControl || converted.type === 'reasoning' || converted.type === 'redacted-reasoning') return converted;
  return { ...converted, cacheControl: omitUndefined({ type: 'ephemeral' as const, ttl: part.cacheControl.ttl }) };
}

function toProtoContentPart(part: sdk.ContentPart): ContentPart {
  switch (part.type) {
    case 'text':
      return create(ContentPartSchema, { part: { case: 'text', value: { text: part.text } } });
    case 'image':
      return create(ContentPartSchema, { part: { case: 'image', value: toProtoImagePart(part) } });
    case 'document':
      return create(ContentPartSchema, { part: { case: 'document', value: toProtoDocumentPart(part) } });
    case 'tool-call':
      return create(ContentPartSchema, {
        part: {
          case: 'toolCall',
          value: { id: part.id, name: part.name, arguments: part.arguments, signature: part.signature },
        },
      });
    case 'tool-result':
      return create(ContentPartSchema, {
        part: {
          case: 'toolResult',
          value: {
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            content: part.content.map(toProtoToolResultContent),
            isError: part.isError,
          },
        },
      });
    case 'reasoning':
      return create(ContentPartSchema, {
        part: { case: 'reasoning', value: { text: part.text, signature: part.signature } },
      });
    case 'redacted-reasoning':
      return create(ContentPartSchema, { part: { case: 'redactedReasoning', value: { data: part.data } } });
    default:
      throw codecError('invalid_request', `Unknown content part type "${(part as { type: unknown }).type}"`);
  }
}

function fromProtoContentPart(part: ContentPart): sdk.ContentPart {
  switch (part.part.case) {
    case 'text':
      return { type: 'text', text: part.part.value.text };
    case 'image':
      return fromProtoImagePart(part.part.value);
    case 'document':
      return fromProtoDocumentPart(part.part.value);
    case 'toolCall': {
      const call = part.part.value;
      return omitUndefined({
        type: 'tool-call',
        id: call.id,
        name: call.name,
        arguments: call.arguments,
        signature: call.signature,
      });
    }
    case 'toolResult': {
      const result = part.part.value;
      return omitUndefined({
        type: 'tool-result',
        toolCallId: result.toolCallId,
        toolName: result.toolName,
        content: result.content.map(fromProtoToolResultContent),
        isError: result.isError,
      });
    }
    case 'reasoning':
      return omitUndefined({ type: 'reasoning', text: part.part.value.text, signature: part.part.value.signature });
    case 'redactedReasoning':
      return { type: 'redacted-reasoning', data: part.part.value.data };
    default:
      throw codecError('invalid_request', 'Content part has no known kind');
  }
}

function toProtoToolResultContent(part: sdk.TextPart | sdk.ImagePart): ToolResultContent {
  return part.type === 'text'
    ? create(ToolResultContentSchema, { part: { case: 'text', value: { text: part.text } } })
    : create(ToolResultContentSchema, { part: { case: 'image', value: toProtoImagePart(part) } });
}

function fromProtoToolResultContent(part: ToolResultContent): sdk.TextPart | sdk.ImagePart {
  switch (part.part.case) {
    case 'text':
      return { type: 'text', text: part.part.value.text };
    case 'image':
      return fromProtoImagePart(part.part.value);
    default:
      throw codecError('invalid_request', 'Tool result content has no known kind');
  }
}

function toProtoImagePart(part: sdk.ImagePart): ImagePart {
  const { source } = part;
  return create(ImagePartSchema, {
    source:
      source.kind === 'url'
        ? { case: 'url', value: source.url }
        : { case: 'base64', value: { mediaType: source.mediaType, data: source.data } },
    detail: part.detail === undefined ? ImageDetail.UNSPECIFIED : imageDetails.toProto(part.detail),
  });
}

function fromProtoImagePart(part: ImagePart): sdk.ImagePart {
  let source: sdk.ImageSource;
  switch (part.source.case) {
    case 'url':
      source = { kind: 'url', url: part.source.value };
      break;
    case 'base64':
      source = { kind: 'base64', mediaType: part.source.value.mediaType, data: part.source.value.data };
      break;
    default:
      throw codecError('invalid_request', 'Image has neither a URL nor base64 data');
  }
  return omitUndefined({ type: 'image', source, detail: imageDetails.fromProto(part.detail) });
}

function toProtoDocumentPart(part: sdk.DocumentPart): DocumentPart {
  const { source } = part;
  return create(DocumentPartSchema, {
    source:
      source.kind === 'url'
        ? { case: 'url', value: source.url }
        : source.kind === 'text'
          ? { case: 'text', value: source.text }
          : { case: 'base64', value: { mediaType: source.mediaType, data: source.data } },
    filename: part.filename,
    title: part.title,
    context: part.context,
    citations: part.citations,
  });
}

function fromProtoDocumentPart(part: DocumentPart): sdk.DocumentPart {
  let source: sdk.DocumentSource;
  switch (part.source.case) {
    case 'url':
      source = { kind: 'url', url: part.source.value };
      break;
    case 'text':
      source = { kind: 'text', text: part.source.value };
      break;
    case 'base64':
      source = { kind: 'base64', mediaType: part.source.value.mediaType, data: part.source.value.data };
      break;
    default:
      throw codecError('invalid_request', 'Document has neither a URL, base64 data nor text');
  }
  return omitUndefined({ type: 'document', source, filename: part.filename, title: part.title, context: part.context, citations: part.citations });
}
