import { EventStreamCodec } from '@smithy/core/event-streams';
import type { MessageHeaders } from '@smithy/types';
import { iterateByteChunks, ProviderError, type ByteSource } from '@nachos/plugin-sdk';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { createBedrockStreamError } from './map-bedrock-error.js';

/** One event of a ConverseStream answer: the `:event-type` header and the parsed JSON payload. */
export interface BedrockStreamEvent {
  type: string;
  payload: unknown;
}

/**
 * Decodes an `application/vnd.amazon.eventstream` body into ConverseStream events. Frames are cut out
 * of the byte stream by their length prefix, whatever the network chunking; the AWS codec then checks
 * both CRC32s and parses the headers. An exception or error frame is thrown as a `ProviderError` of
 * the kind its name says.
 *
 * A corrupt frame (bad checksum, impossible length, payload that is not JSON) fails with `internal`;
 * a body that ends inside a frame, a connection cut short, with `unavailable`.
 *
 * @see https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream
 */
export async function* decodeBedrockEventStream(source: ByteSource): AsyncGenerator<BedrockStreamEvent> {
  const codec = new EventStreamCodec(decodeUtf8, encodeUtf8);
  const frames = new FrameSplitter();
  for await (const chunk of iterateByteChunks(source)) {
    for (const frame of frames.push(chunk)) {
      const event = readFrame(codec, frame);
      if (event !== undefined) {
        yield event;
      }
    }
  }
  if (frames.pendingBytes > 0) {
    throw new ProviderError({
      kind: 'unavailable',
      message: 'upstream ended the stream in the middle of an eventstream frame',
      providerId: BEDROCK_PLUGIN_ID,
    });
  }
}

/**
 * The eventstream format allows 16 MiB of payload and 128 KiB of headers per frame; a length prefix
 * beyond that is garbage, and believing it would make us buffer without end.
 */
const MAX_FRAME_BYTES = 16 * 1024 * 1024 + 128 * 1024 + 16;
/** Prelude (12 bytes) and trailing CRC (4 bytes): the smallest possible frame. */
const MIN_FRAME_BYTES = 16;

/** Collects network chunks and hands out whole frames, each exactly as long as its prefix says. */
class FrameSplitter {
  #chunks: Uint8Array[] = [];
  #buffered = 0;

  get pendingBytes(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    const frames: Uint8Array[] = [];
    for (;;) {
      if (this.#buffered < 4) {
        return frames;
      }
      const bytes = this.#flatten();
      const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
      if (length < MIN_FRAME_BYTES || length > MAX_FRAME_BYTES) {
        throw corrupt(`a frame claims to be ${length} bytes long`);
      }
      if (this.#buffered < length) {
        return frames;
      }
      frames.push(bytes.subarray(0, length));
      this.#chunks = length === bytes.byteLength ? [] : [bytes.subarray(length)];
      this.#buffered -= length;
    }
  }

  #flatten(): Uint8Array {
    if (this.#chunks.length > 1) {
      const joined = new Uint8Array(this.#buffered);
      let offset = 0;
      for (const chunk of this.#chunks) {
        joined.set(chunk, offset);
        offset += chunk.byteLength;
      }
      this.#chunks = [joined];
    }
    return this.#chunks[0] ?? new Uint8Array(0);
  }
}

function readFrame(codec: EventStreamCodec, frame: Uint8Array): BedrockStreamEvent | undefined {
  let headers: MessageHeaders;
  let body: Uint8Array;
  try {
    ({ headers, body } = codec.decode(frame));
  } catch (error) {
    throw corrupt((error as Error).message, error);
  }
  const messageType = stringHeader(headers, ':message-type');
  if (messageType === 'exception') {
    throw createBedrockStreamError(stringHeader(headers, ':exception-type'), readMessage(body));
  }
  if (messageType === 'error') {
    throw createBedrockStreamError(stringHeader(headers, ':error-code'), stringHeader(headers, ':error-message'));
  }
  const type = stringHeader(headers, ':event-type');
  if (messageType !== 'event' || type === undefined) {
    return undefined;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(decodeUtf8(body));
  } catch (error) {
    throw corrupt(`the payload of a ${type} event is not JSON`, error);
  }
  return { type, payload };
}

/** The `message` of an exception payload, if it is the JSON object Bedrock sends. */
function readMessage(body: Uint8Array): string | undefined {
  try {
    const parsed = JSON.parse(decodeUtf8(body)) as unknown;
    const message = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['message'] : undefined;
    return typeof message === 'string' && message !== '' ? message : undefined;
  } catch {
    return undefined;
  }
}

function stringHeader(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header?.type === 'string' ? header.value : undefined;
}

function corrupt(reason: string, cause?: unknown): ProviderError {
  return new ProviderError({
    kind: 'internal',
    message: `upstream sent a corrupt eventstream frame: ${reason}`,
    providerId: BEDROCK_PLUGIN_ID,
    cause,
  });
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
