import { type ByteSource, iterateByteChunks } from './byte-source.js';
import { LineSplitter } from './line-splitter.js';

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; absent for the default `message` type (OpenAI and Gemini send none). */
  event?: string;
  /** The `data:` lines of the event joined with `\n`. */
  data: string;
  /** The `id:` field, when this event carried one. */
  id?: string;
}

/**
 * Parses a `text/event-stream` body into events, following the WHATWG rules that matter for LLM
 * providers: `\n`, `\r\n` and `\r` line ends (so `\n\n`, `\r\n\r\n` and `\r\r` separate events),
 * several `data:` lines per event, `:` comment lines, one optional space after the colon, a UTF-8 BOM,
 * and network chunks that split lines or multi-byte characters anywhere.
 *
 * Unlike a browser's EventSource, a last event that lacks its closing blank line is still delivered:
 * some upstreams close the connection right after their final `data:` line.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function* parseSseStream(source: ByteSource): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter();
  const event = new PendingEvent();
  let atStart = true;

  for await (const chunk of iterateByteChunks(source)) {
    let text = decoder.decode(chunk, { stream: true });
    if (atStart && text !== '') {
      atStart = false;
      text = stripByteOrderMark(text);
    }
    for (const line of splitter.push(text)) {
      const dispatched = event.accept(line);
      if (dispatched !== undefined) {
        yield dispatched;
      }
    }
  }

  const tail = decoder.decode();
  const lines = [...splitter.push(atStart ? stripByteOrderMark(tail) : tail), ...splitter.end(), ''];
  for (const line of lines) {
    const dispatched = event.accept(line);
    if (dispatched !== undefined) {
      yield dispatched;
    }
  }
}

/** The fields of the event being read, until a blank line dispatches it. */
class PendingEvent {
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;

  /** Takes one line; returns the event that a blank line completes. */
  accept(line: string): ServerSentEvent | undefined {
    if (line === '') {
      return this.#dispatch();
    }
    if (line.startsWith(':')) {
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.#id = value;
        }
        break;
      default:
        // `retry` and unknown fields carry nothing a provider plugin needs.
        break;
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const data = this.#data;
    const event = this.#event;
    const id = this.#id;
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
    // An event without data lines is not dispatched (spec); neither is a stray blank line.
    if (data.length === 0) {
      return undefined;
    }
    const dispatched: ServerSentEvent = { data: data.join('\n') };
    if (event !== undefined && event !== '') {
      dispatched.event = event;
    }
    if (id !== undefined) {
      dispatched.id = id;
    }
    return dispatched;
  }
}

function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
