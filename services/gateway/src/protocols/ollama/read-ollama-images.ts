import type { ImagePart } from '@nachos/plugin-sdk';
import { invalidRequest } from '../../errors/gateway-error.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DATA_URL = /^data:[^;,]*;base64,/;

/** Leading bytes of the image formats every vision provider accepts. */
const SIGNATURES: ReadonlyArray<{ mediaType: string; matches: (bytes: Buffer) => boolean }> = [
  { mediaType: 'image/png', matches: (bytes) => bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) },
  { mediaType: 'image/jpeg', matches: (bytes) => bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) },
  { mediaType: 'image/gif', matches: (bytes) => bytes.subarray(0, 4).toString('latin1') === 'GIF8' },
  {
    mediaType: 'image/webp',
    matches: (bytes) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

/**
 * Ollama `images`: bare base64 strings with no media type, so the type is read from the image's first
 * bytes (providers such as Anthropic refuse an image whose declared type is wrong). A `data:` prefix,
 * which some clients add, is tolerated and dropped. Anything that is not PNG, JPEG, GIF or WebP is a 400.
 */
export function readOllamaImages(images: unknown, param: string): ImagePart[] {
  if (images === undefined || images === null) return [];
  if (!Array.isArray(images)) throw invalidRequest(`'${param}' must be a list of base64 strings.`, param);
  return images.map((image, index) => readImage(image, `${param}[${index}]`));
}

function readImage(image: unknown, param: string): ImagePart {
  if (typeof image !== 'string') throw invalidRequest(`'${param}' must be a base64 string.`, param);
  const data = image.replace(DATA_URL, '');
  if (!BASE64.test(data)) throw invalidRequest(`'${param}' is not valid base64.`, param);
  const mediaType = sniffImageMediaType(Buffer.from(data.slice(0, 16), 'base64'));
  if (!mediaType) throw invalidRequest(`'${param}' is not a PNG, JPEG, GIF or WebP image.`, param);
  return { type: 'image', source: { kind: 'base64', mediaType, data } };
}

/** The media type the leading bytes announce, if it is one providers accept. */
export function sniffImageMediaType(leadingBytes: Buffer): string | undefined {
  return SIGNATURES.find((signature) => signature.matches(leadingBytes))?.mediaType;
}
