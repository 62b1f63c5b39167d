/**
 * Splits decoded text into lines as network chunks arrive, accepting `\n`, `\r\n` and a lone `\r` as
 * line ends (the SSE spec allows all three; Gemini sends CRLF).
 *
 * A `\r` at the very end of a chunk is held back until the next chunk shows whether a `\n` follows,
 * so a CRLF split across two chunks still counts as one line end.
 */
export class LineSplitter {
  #pending = '';

  /** Adds text and returns the lines it completed, without their line ends. */
  push(text: string): string[] {
    const buffer = this.#pending + text;
    const lines: string[] = [];
    let lineStart = 0;
    // The pending text holds no line end (bar a trailing `\r`), so scanning resumes where it stopped.
    let position = this.#pending.endsWith('\r') ? this.#pending.length - 1 : this.#pending.length;
    while (position < buffer.length) {
      const code = buffer.charCodeAt(position);
      if (code === LINE_FEED) {
        lines.push(buffer.slice(lineStart, position));
        lineStart = position + 1;
      } else if (code === CARRIAGE_RETURN) {
        if (position + 1 === buffer.length) {
          break;
        }
        lines.push(buffer.slice(lineStart, position));
        lineStart = buffer.charCodeAt(position + 1) === LINE_FEED ? position + 2 : position + 1;
        position = lineStart - 1;
      }
      position += 1;
    }
    this.#pending = buffer.slice(lineStart);
    return lines;
  }

  /** Ends the input; returns the last line if the text did not end with a line end. */
  end(): string[] {
    const rest = this.#pending;
    this.#pending = '';
    if (rest === '') {
      return [];
    }
    // A held-back trailing `\r` is a line end, not content.
    return [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
  }
}

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
