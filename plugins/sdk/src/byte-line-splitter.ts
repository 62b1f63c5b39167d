const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits bytes into lines as network chunks arrive, decoding each complete line once (a multi-byte
 * character split between chunks is whole by then). Lines end at `\n`; a `\r` before it is dropped.
 */
export class ByteLineSplitter {
  #partial: Buffer | undefined;

  /** Adds a chunk; returns the lines it completed, without their line ends. */
  push(chunk: Uint8Array): string[] {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let lineStart = 0;
    let end = bytes.indexOf(LINE_FEED);
    while (end !== -1) {
      if (this.#partial === undefined) {
        lines.push(decodeLine(bytes, lineStart, end));
      } else {
        const line = Buffer.concat([this.#partial, bytes.subarray(lineStart, end)]);
        this.#partial = undefined;
        lines.push(decodeLine(line, 0, line.length));
      }
      lineStart = end + 1;
      end = bytes.indexOf(LINE_FEED, lineStart);
    }
    if (lineStart < bytes.length) {
      const rest = bytes.subarray(lineStart);
      this.#partial = this.#partial === undefined ? rest : Buffer.concat([this.#partial, rest]);
    }
    return lines;
  }

  /** Ends the input; returns the last line if the bytes did not end with a line end. */
  end(): string | undefined {
    const rest = this.#partial;
    this.#partial = undefined;
    return rest === undefined ? undefined : decodeLine(rest, 0, rest.length);
  }
}

function decodeLine(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
}
