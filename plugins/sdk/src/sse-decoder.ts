import type { ServerSentEvent } from './parse-sse-stream.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/**
 * Decodes `text/event-stream` bytes into events as network chunks arrive, working on the bytes:
 * lines are found by scanning for line ends, field names are compared as bytes, and only a field's
 * value is turned into a string, once. Only complete lines are decoded, so a multi-byte character
 * split between chunks is whole by then. The rules are those of {@link parseSseStream}.
 */
export class SseDecoder {
  /** The start of a line whose end has not arrived yet. */
  #partial: Buffer | undefined;
  /** A chunk ended with `\r`: a `\n` opening the next one belongs to the same line end. */
  #skipLineFeed = false;
  #atStart = true;
  #data: string | undefined;
  #event: string | undefined;
  #id: string | undefined;

  /** Takes the next chunk; returns the events it completed. */
  push(chunk: Uint8Array): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let position = 0;
    if (this.#skipLineFeed && bytes.length > 0) {
      this.#skipLineFeed = false;
      if (bytes[0] === LINE_FEED) position = 1;
    }
    // Line ends are found with native searches (memchr) rather than a byte at a time: a `\r` is looked
    // for once per chunk and again only past one found, so a stream framed with `\n` alone pays one
    // search per line.
    let lineFeed = bytes.indexOf(LINE_FEED, position);
    let carriageReturn = bytes.indexOf(CARRIAGE_RETURN, position);
    let lineStart = position;
    for (;;) {
      if (lineFeed !== -1 && lineFeed < lineStart) lineFeed = bytes.indexOf(LINE_FEED, lineStart);
      if (carriageReturn !== -1 && carriageReturn < lineStart) carriageReturn = bytes.indexOf(CARRIAGE_RETURN, lineStart);
      const end = carriageReturn !== -1 && (lineFeed === -1 || carriageReturn < lineFeed) ? carriageReturn : lineFeed;
      if (end === -1) break;
      if (this.#partial === undefined) {
        this.#line(bytes, lineStart, end, events);
      } else {
        const line = Buffer.concat([this.#partial, bytes.subarray(lineStart, end)]);
        this.#partial = undefined;
        this.#line(line, 0, line.length, events);
      }
      lineStart = end + 1;
      if (end === carriageReturn) {
        if (lineStart === bytes.length) this.#skipLineFeed = true;
        else if (bytes[lineStart] === LINE_FEED) lineStart += 1;
      }
    }
    if (lineStart < bytes.length) {
      const rest = bytes.subarray(lineStart);
      this.#partial = this.#partial === undefined ? rest : Buffer.concat([this.#partial, rest]);
    }
    return events;
  }

  /** Ends the input: a last line without its end still counts, and a last event without its blank line is still delivered. */
  end(): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    if (this.#partial !== undefined) {
      const line = this.#partial;
      this.#partial = undefined;
      this.#line(line, 0, line.length, events);
    }
    this.#dispatch(events);
    return events;
  }

  #line(bytes: Buffer, lineStart: number, end: number, events: ServerSentEvent[]): void {
    let start = lineStart;
    if (this.#atStart) {
      // A UTF-8 byte order mark may open the stream (the first line holds it whole, however it was split).
      this.#atStart = false;
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) start += 3;
    }
    if (start === end) {
      this.#dispatch(events);
      return;
    }
    if (bytes[start] === COLON) return;
    let colon = bytes.indexOf(COLON, start);
    if (colon === -1 || colon >= end) colon = end;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && bytes[valueStart] === SPACE) valueStart += 1;
    const nameLength = colon - start;
    if (nameLength === 4 && bytes[start] === 0x64 && bytes[start + 1] === 0x61 && bytes[start + 2] === 0x74 && bytes[start + 3] === 0x61) {
      const value = bytes.toString('utf8', valueStart, end);
      this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
    } else if (nameLength === 5 && bytes.toString('latin1', start, colon) === 'event') {
      this.#event = bytes.toString('utf8', valueStart, end);
    } else if (nameLength === 2 && bytes[start] === 0x69 && bytes[start + 1] === 0x64) {
      const value = bytes.toString('utf8', valueStart, end);
      if (!value.includes('\0')) this.#id = value;
    }
    // `retry` and unknown fields carry nothing a provider plugin needs.
  }

  #dispatch(events: ServerSentEvent[]): void {
    const data = this.#data;
    const event = this.#event;
    const id = this.#id;
    this.#data = undefined;
    this.#event = undefined;
    this.#id = undefined;
    // An event without data lines is not dispatched (spec); neither is a stray blank line.
    if (data === undefined) return;
    const dispatched: ServerSentEvent = { data };
    if (event !== undefined && event !== '') dispatched.event = event;
    if (id !== undefined) dispatched.id = id;
    events.push(dispatched);
  }
}
