import type { PluginConfigSchema } from '@nachos/plugin-sdk';

/** A Google endpoint's options (`[endpoints.<id>.options]`), validated by the loader. */
export interface GoogleOptions {
  /** Budget for one upstream call, streamed body included, in milliseconds; 0 means none. */
  timeout_ms: number;
  /** Largest image, in bytes, fetched from an http(s) URL to be inlined (Gemini cannot read arbitrary URLs). */
  max_image_bytes: number;
  allow_private_image_urls: boolean;
}

export const GOOGLE_CONFIG_SCHEMA: PluginConfigSchema = {
  timeout_ms: {
    doc: 'Budget for one upstream call, streamed body included, in milliseconds (0: none); also bounds each image download.',
    format: 'nat',
    default: 600_000,
  },
  max_image_bytes: {
    doc: 'Largest image fetched from an http(s) URL and inlined into the request, in bytes (Gemini caps a request at 20 MB).',
    format: 'nat',
    default: 20 * 1024 * 1024,
  },
  allow_private_image_urls: {
    doc: 'Let image URLs point at private, loopback or link-local addresses (off: a client could make llm-proxy fetch internal services).',
    format: Boolean,
    default: false,
  },
};
