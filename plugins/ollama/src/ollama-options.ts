import type { PluginConfigSchema } from '@nachos/plugin-sdk';

/** An Ollama endpoint's options (`[endpoints.<id>.options]`), validated by llm-proxy. */
export interface OllamaOptions {
  timeout_ms: number;
  keep_alive: string;
  num_ctx: number;
  fetch_image_urls: boolean;
  max_image_bytes: number;
  allow_private_image_urls: boolean;
}

export const ollamaConfigSchema: PluginConfigSchema = {
  timeout_ms: {
    doc: 'Budget for one upstream call, streamed body included, in milliseconds (0: none). Local models can be slow to load.',
    format: 'nat',
    default: 600_000,
  },
  keep_alive: {
    doc: 'How long Ollama keeps the model loaded after a request ("5m", "1h", "-1"); empty leaves the server default.',
    format: String,
    default: '',
  },
  num_ctx: {
    doc: 'Context window to load models with (Ollama `options.num_ctx`) unless a request sets its own; 0 leaves the model default.',
    format: 'nat',
    default: 0,
  },
  fetch_image_urls: {
    doc: 'Download http(s) image URLs and inline them, since Ollama only takes base64 images; false rejects such requests.',
    format: Boolean,
    default: true,
  },
  max_image_bytes: {
    doc: 'Largest image, in bytes, that is downloaded from a URL.',
    format: 'nat',
    default: 20 * 1024 * 1024,
  },
  allow_private_image_urls: {
    doc: 'Let image URLs point at private, loopback or link-local addresses (off: a client could make llm-proxy fetch internal services).',
    format: Boolean,
    default: false,
  },
};
