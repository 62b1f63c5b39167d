import { ProviderError, type DocumentPart } from '@nachos/plugin-sdk';
import type { BedrockDocumentBlock, BedrockDocumentFormat } from './bedrock-api-types.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';

const DOCUMENT_FORMATS: ReadonlyMap<string, BedrockDocumentFormat> = new Map([
  ['application/pdf', 'pdf'],
  ['text/csv', 'csv'],
  ['application/msword', 'doc'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.ms-excel', 'xls'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['text/html', 'html'],
  ['text/plain', 'txt'],
  ['text/markdown', 'md'],
]);

/**
 * A document as the Converse API takes it: inline bytes, a format from Bedrock's list and a name
 * (the title or file name, cut down to the characters Bedrock allows). Plain text goes as a `txt`
 * document. Links are refused rather than fetched, as for images.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_DocumentBlock.html
 */
export function convertToBedrockDocument(part: DocumentPart, position: number): BedrockDocumentBlock {
  const { source } = part;
  if (source.kind === 'url') throw invalid('Bedrock reads documents only as inline bytes; send the file itself instead of a link');
  const format = source.kind === 'text' ? 'txt' : DOCUMENT_FORMATS.get(source.mediaType.toLowerCase());
  if (format === undefined) throw invalid(`Bedrock reads PDF, CSV, Word, Excel, HTML, text and Markdown documents, not ${source.kind === 'base64' ? source.mediaType : ''}`);
  const bytes = source.kind === 'text' ? Buffer.from(source.text, 'utf8').toString('base64') : source.data;
  return { document: { format, name: nameOf(part, position), source: { bytes } } };
}

/** Bedrock refuses other characters, and two documents of one request may not share a name. */
function nameOf(part: DocumentPart, position: number): string {
  const given = (part.title ?? part.filename?.replace(/\.[^.]*$/, '') ?? '').replace(/[^A-Za-z0-9 \-()[\]]+/g, ' ').replace(/\s+/g, ' ').trim();
  return given === '' ? `document ${position + 1}` : given;
}

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', message, providerId: BEDROCK_PLUGIN_ID });
}
