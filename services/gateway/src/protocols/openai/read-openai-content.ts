import type { DocumentPart, ImagePart, JsonObject, TextPart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

const DATA_URL = /^data:([^;,]*);base64,(.*)$/s;

/**
 * OpenAI message `content`: a string, null, or a list of parts (`text`, `image_url` with an https URL
 * or a base64 data URL). Audio parts, and files outside user messages, are refused with a 400 rather
 * than silently dropped.
 */
export function readOpenAIContent(content: unknown, param: string, allowImages: boolean): Array<TextPart | ImagePart> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or a list of content parts.`, param);
  return content.map((part, index) => readPart(part, `${param}[${index}]`, allowImages));
}

/** A user message's content, which may also hold documents: `file` parts with their bytes in `file_data`. */
export function readOpenAIUserContent(content: unknown, param: string): Array<TextPart | ImagePart | DocumentPart> {
  if (!Array.isArray(content)) return readOpenAIContent(content, param, true);
  return content.map((part, index) =>
    isObject(part) && part.type === 'file' ? readFile(part.file, `${param}[${index}].file`) : readPart(part, `${param}[${index}]`, true),
  );
}

/** Media types by file extension, for `file_data` sent as bare base64 with only a file name to go by. */
const MEDIA_TYPES: Readonly<Record<string, string>> = { pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', html: 'text/html' };

function readFile(file: unknown, param: string): DocumentPart {
  if (!isObject(file)) throw invalidRequest(`'${param}' must be an object.`, param);
  if (typeof file.file_id === 'string') {
    throw invalidRequest(`'${param}.file_id' names a file in OpenAI's storage, which nachos does not have; send the file itself in 'file_data'.`, `${param}.file_id`);
  }
  if (typeof file.file_data !== 'string' || file.file_data === '') throw invalidRequest(`'${param}.file_data' is required.`, `${param}.file_data`);
  const filename = typeof file.filename === 'string' && file.filename !== '' ? file.filename : undefined;
  const dataUrl = DATA_URL.exec(file.file_data);
  const extension = filename?.split('.').pop()?.toLowerCase() ?? '';
  const mediaType = dataUrl?.[1] || MEDIA_TYPES[extension] || 'application/pdf';
  return { type: 'document', source: { kind: 'base64', mediaType, data: dataUrl ? (dataUrl[2] ?? '') : file.file_data }, ...(filename ? { filename } : {}) };
}

function readPart(part: unknown, param: string, allowImages: boolean): TextPart | ImagePart {
  if (!isObject(part)) throw invalidRequest(`'${param}' must be an object.`, param);
  if (part.type === 'text') {
    if (typeof part.text !== 'string') throw invalidRequest(`'${param}.text' must be a string.`, `${param}.text`);
    return { type: 'text', text: part.text };
  }
  if (part.type === 'image_url') {
    if (!allowImages) throw invalidRequest(`'${param}': images are only allowed in user messages.`, param);
    return readImage(part.image_url, `${param}.image_url`);
  }
  throw invalidRequest(`'${param}.type' ${JSON.stringify(part.type)} is not supported; use 'text' or 'image_url'.`, `${param}.type`);
}

function readImage(image: unknown, param: string): ImagePart {
  const source = typeof image === 'string' ? { url: image } : image;
  if (!isObject(source) || typeof source.url !== 'string') throw invalidRequest(`'${param}.url' must be a string.`, `${param}.url`);
  const detail = readDetail(source, param);
  const dataUrl = DATA_URL.exec(source.url);
  if (dataUrl) {
    return { type: 'image', source: { kind: 'base64', mediaType: dataUrl[1] || 'image/png', data: dataUrl[2] ?? '' }, ...detail };
  }
  if (!/^https?:\/\//i.test(source.url)) {
    throw invalidRequest(`'${param}.url' must be an http(s) URL or a base64 data URL.`, `${param}.url`);
  }
  return { type: 'image', source: { kind: 'url', url: source.url }, ...detail };
}

function readDetail(source: JsonObject, param: string): { detail?: 'auto' | 'low' | 'high' } {
  if (source.detail === undefined || source.detail === null) return {};
  if (source.detail !== 'auto' && source.detail !== 'low' && source.detail !== 'high') {
    throw invalidRequest(`'${param}.detail' must be auto, low or high.`, `${param}.detail`);
  }
  return { detail: source.detail };
}
