import type { DocumentPart, ImagePart, TextPart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';
import { isObject } from '../request-fields.js';

const DATA_URL = /^data:([^;,]*);base64,(.*)$/s;

/**
 * The content of a Responses input message or function output: a string, or a list of parts —
 * `input_text`, `output_text` and `refusal` (assistant history) as text, `input_image` by URL or
 * base64 data URL. Files and audio, and images by `file_id` (they live in OpenAI's file storage),
 * are refused with a 400 naming the part rather than silently dropped.
 */
export function readResponsesContent(content: unknown, param: string, allowImages: boolean): Array<TextPart | ImagePart> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or a list of content parts.`, param);
  return content.flatMap((part, index) => readPart(part, `${param}[${index}]`, allowImages));
}

/** A user message's content, which may also hold documents: `input_file` parts by `file_data` or `file_url`. */
export function readResponsesUserContent(content: unknown, param: string): Array<TextPart | ImagePart | DocumentPart> {
  if (!Array.isArray(content)) return readResponsesContent(content, param, true);
  return content.flatMap((part, index): Array<TextPart | ImagePart | DocumentPart> =>
    isObject(part) && part.type === 'input_file' ? [readFile(part, `${param}[${index}]`)] : readPart(part, `${param}[${index}]`, true),
  );
}

function readFile(part: Record<string, unknown>, param: string): DocumentPart {
  const filename = typeof part.filename === 'string' && part.filename !== '' ? { filename: part.filename } : {};
  if (typeof part.file_url === 'string') {
    if (!/^https?:\/\//i.test(part.file_url)) throw invalidRequest(`'${param}.file_url' must be an http(s) URL.`, `${param}.file_url`);
    return { type: 'document', source: { kind: 'url', url: part.file_url }, ...filename };
  }
  if (typeof part.file_data !== 'string' || part.file_data === '') {
    const reason = typeof part.file_id === 'string' ? "files by file_id live in OpenAI's storage, which nachos does not have; send" : 'send';
    throw invalidRequest(`'${param}.file_data' is required: ${reason} the file's bytes as a base64 data URL, or a file_url.`, `${param}.file_data`);
  }
  const dataUrl = DATA_URL.exec(part.file_data);
  return { type: 'document', source: { kind: 'base64', mediaType: dataUrl?.[1] || 'application/pdf', data: dataUrl ? (dataUrl[2] ?? '') : part.file_data }, ...filename };
}

function readPart(part: unknown, param: string, allowImages: boolean): Array<TextPart | ImagePart> {
  if (!isObject(part)) throw invalidRequest(`'${param}' must be an object.`, param);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      if (typeof part.text !== 'string') throw invalidRequest(`'${param}.text' must be a string.`, `${param}.text`);
      return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    case 'refusal':
      if (typeof part.refusal !== 'string') throw invalidRequest(`'${param}.refusal' must be a string.`, `${param}.refusal`);
      return part.refusal === '' ? [] : [{ type: 'text', text: part.refusal }];
    case 'input_image':
      if (!allowImages) throw invalidRequest(`'${param}': images are only allowed in user messages and function outputs.`, param);
      return [readImage(part, param)];
    default:
      throw invalidRequest(
        `'${param}.type' ${JSON.stringify(part.type)} is not supported; use input_text, output_text or input_image.`,
        `${param}.type`,
      );
  }
}

function readImage(part: Record<string, unknown>, param: string): ImagePart {
  const url = part.image_url;
  if (typeof url !== 'string') {
    const reason = typeof part.file_id === 'string' ? 'images by file_id need OpenAI file storage, which nachos does not have; send' : 'send';
    throw invalidRequest(`'${param}.image_url' is required: ${reason} the image as an http(s) URL or a base64 data URL.`, `${param}.image_url`);
  }
  // `original` (full resolution) has no canonical counterpart; providers then pick their default.
  const detail: Pick<ImagePart, 'detail'> = part.detail === 'auto' || part.detail === 'low' || part.detail === 'high' ? { detail: part.detail } : {};
  const dataUrl = DATA_URL.exec(url);
  if (dataUrl) return { type: 'image', source: { kind: 'base64', mediaType: dataUrl[1] || 'image/png', data: dataUrl[2] ?? '' }, ...detail };
  if (!/^https?:\/\//i.test(url)) throw invalidRequest(`'${param}.image_url' must be an http(s) URL or a base64 data URL.`, `${param}.image_url`);
  return { type: 'image', source: { kind: 'url', url }, ...detail };
}
