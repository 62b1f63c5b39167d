import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { readUsageFields, type PassthroughUsage } from './read-usage-fields.js';

/** A copy larger than this is passed on but not metered: holding it would cost too much memory. */
const MAX_COPY_BYTES = 4 * 1024 * 1024;
/** A stream line longer than this is skipped by the meter (never by the client). */
const MAX_LINE_BYTES = 1024 * 1024;

type Format = 'json' | 'lines';
type Decompress = (data: Buffer) => Buffer;

/**
 * Reads token counts (and the model that answered) out of a pass-through answer while its bytes go to
 * the client untouched: it sees each chunk as it passes and never holds the response back. An
 * uncompressed stream (SSE, NDJSON) is read line by line as it arrives, keeping the largest counts seen,
 * since every format reports running totals; a JSON answer, or any compressed one, is copied (up to
 * 4 MiB) and read when it ends. Other content types (files, audio, images) are not metered. Synchronous
 * at the end, so the counts are known before the response's last byte is flushed.
 */
export class PassthroughUsageMeter {
  readonly #format: Format | undefined;
  readonly #decompress: Decompress | undefined;
  readonly #copy: Buffer[] = [];
  #copied = 0;
  #line = '';
  #usage: Partial<PassthroughUsage> = {};
  #model: string | undefined;

  constructor(contentType: string | undefined, contentEncoding: string | undefined) {
    const decompress = decompressorFor(contentEncoding);
    this.#format = decompress === null ? undefined : formatOf(contentType);
    this.#decompress = decompress ?? undefined;
  }

  /** Whether this answer's format is one the meter reads. */
  get metered(): boolean {
    return this.#format !== undefined;
  }

  /** Whether the answer is a stream of events (SSE, NDJSON). */
  get streamed(): boolean {
    return this.#format === 'lines';
  }

  push(chunk: Buffer): void {
    if (!this.#format) return;
    if (this.#format === 'lines' && !this.#decompress) return this.#readLines(chunk.toString('utf8'));
    this.#copied += chunk.length;
    if (this.#copied <= MAX_COPY_BYTES) this.#copy.push(chunk);
  }

  /** The counts once the answer has ended; undefined when it reported none. */
  finish(): (PassthroughUsage & { model: string | undefined }) | undefined {
    if (!this.#format) return undefined;
    if (this.#copy.length > 0 && this.#copied <= MAX_COPY_BYTES) {
      let text: string;
      try {
        text = (this.#decompress ? this.#decompress(Buffer.concat(this.#copy)) : Buffer.concat(this.#copy)).toString('utf8');
      } catch {
        return undefined;
      }
      if (this.#format === 'json') this.#take(text);
      else this.#readLines(text);
    }
    this.#readLine(this.#line);
    const { inputTokens, outputTokens } = this.#usage;
    if (inputTokens === undefined && outputTokens === undefined) return undefined;
    return { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0, model: this.#model };
  }

  #readLines(text: string): void {
    const lines = (this.#line + text).split('\n');
    this.#line = lines.pop() ?? '';
    if (this.#line.length > MAX_LINE_BYTES) this.#line = '';
    for (const line of lines) this.#readLine(line);
  }

  #readLine(raw: string): void {
    const line = raw.trim();
    const payload = line.startsWith('data:') ? line.slice(5).trim() : line;
    if (payload.startsWith('{')) this.#take(payload);
  }

  #take(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    this.#model ??= modelOf(value);
    const found = readUsageFields(value);
    if (!found) return;
    if (found.inputTokens !== undefined) this.#usage.inputTokens = Math.max(this.#usage.inputTokens ?? 0, found.inputTokens);
    if (found.outputTokens !== undefined) this.#usage.outputTokens = Math.max(this.#usage.outputTokens ?? 0, found.outputTokens);
  }
}

/** `model` at the top (OpenAI, Ollama) or in `message` (Anthropic's message_start) or `response` (Responses API). */
function modelOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, { model?: unknown } | unknown>;
  for (const candidate of [record.model, (record.message as { model?: unknown } | undefined)?.model, (record.response as { model?: unknown } | undefined)?.model]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return undefined;
}

function formatOf(contentType: string | undefined): Format | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/event-stream' || type === 'application/x-ndjson' || type === 'application/jsonl') return 'lines';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  return undefined;
}

/** How to decompress an encoding; undefined for none, null for one the meter cannot read. */
function decompressorFor(encoding: string | undefined): Decompress | undefined | null {
  switch ((encoding ?? 'identity').trim().toLowerCase()) {
    case 'identity':
    case '':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync;
    case 'deflate':
      return inflateSync;
    case 'br':
      return brotliDecompressSync;
    default:
      return null;
  }
}
