import { ProviderError, type ImagePart } from '@nachos/plugin-sdk';
import type { BedrockImageBlock, BedrockImageFormat } from './bedrock-api-types.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';

/**
 * An image as Bedrock takes it: raw bytes (base64 in JSON) and a format from its short list. Data
 * URLs are unpacked. An http(s) URL is refused rather than downloaded: Bedrock cannot read it, and
 * fetching whatever address a client names from inside the gateway's network would let any caller
 * reach internal hosts.
 */
export function convertToBedrockImage(part: ImagePart): BedrockImageBlock {
  const source = part.source.kind === 'url' ? parseDataUrl(part.source.url) : part.source;
  if (source === undefined) {
    throw invalid('Bedrock reads images only as inline bytes; send the image as a base64 data: URL instead of a link');
  }
  const format = IMAGE_FORMATS.get(source.mediaType.toLowerCase());
  if (format === undefined) {
    throw invalid(`Bedrock accepts PNG, JPEG, GIF and WebP images, not ${source.mediaType}`);
  }
  return { image: { format, source: { bytes: source.data } } };
}

const IMAGE_FORMATS: ReadonlyMap<string, BedrockImageFormat> = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/jpg', 'jpeg'],
  ['image/gif', 'gif'],
  ['image/webp', 'webp'],
]);

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match?.[1] === undefined || match[2] === undefined ? undefined : { mediaType: match[1], data: match[2] };
}

function invalid(message: string): ProviderError {
  return new ProviderError({ kind: 'invalid_request', message, providerId: BEDROCK_PLUGIN_ID });
}
