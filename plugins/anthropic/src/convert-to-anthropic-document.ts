import { ProviderError, type DocumentPart } from '@nachos/plugin-sdk';
import type { AnthropicDocumentBlock } from './anthropic-api-types.js';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';

/**
 * A document as Anthropic reads it: a PDF by base64 or URL, plain text as a text source (a base64
 * `text/plain` file is decoded into one). The title is the client's, else the file name; context and
 * citations go as given. Other file types are refused before any call, naming what Anthropic takes.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/pdf-support
 */
export function convertToAnthropicDocument(part: DocumentPart): AnthropicDocumentBlock {
  const title = part.title ?? part.filename;
  return {
    type: 'document',
    source: sourceOf(part),
    ...(title ? { title } : {}),
    ...(part.context ? { context: part.context } : {}),
    ...(part.citations === undefined ? {} : { citations: { enabled: part.citations } }),
  };
}

function sourceOf(part: DocumentPart): AnthropicDocumentBlock['source'] {
  const { source } = part;
  if (source.kind === 'url') return { type: 'url', url: source.url };
  if (source.kind === 'text') return { type: 'text', media_type: 'text/plain', data: source.text };
  const mediaType = source.mediaType.toLowerCase();
  if (mediaType === 'application/pdf') return { type: 'base64', media_type: 'application/pdf', data: source.data };
  if (mediaType === 'text/plain') return { type: 'text', media_type: 'text/plain', data: Buffer.from(source.data, 'base64').toString('utf8') };
  throw new ProviderError({
    kind: 'invalid_request',
    message: `Anthropic reads PDF and plain-text documents, not ${source.mediaType}`,
    providerId: ANTHROPIC_PLUGIN_ID,
  });
}
