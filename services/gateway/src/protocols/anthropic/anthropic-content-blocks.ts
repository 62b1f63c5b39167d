import { anthropicSseFrame } from './anthropic-sse-frame.js';
import { sanitizeToolUseId } from './sanitize-tool-use-id.js';

/** The text of a delta payload before its one string value: `{"type":…,"<key>":`. */
const TEXT_DELTA = '{"type":"text_delta","text":';
const THINKING_DELTA = '{"type":"thinking_delta","thinking":';
const INPUT_JSON_DELTA = '{"type":"input_json_delta","partial_json":';
const SIGNATURE_DELTA = '{"type":"signature_delta","signature":';

type Block =
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; thinking: string; signature: string; signed: boolean }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; json: string; sentJson: boolean };

interface BlockState {
  block: Block;
  started: boolean;
  /** No more content will come for it; it is stopped once every block before it is. */
  ended: boolean;
}

/**
 * Lays canonical content events out as Anthropic content blocks, numbered from 0 in the order they
 * open, one open block at a time (`content_block_start`, deltas, `content_block_stop`), which is what
 * Anthropic sends and what strict clients such as Claude Code expect.
 *
 * Text and thinking blocks end when another block begins; a tool block ends at its `tool-call-end`. When
 * content for a new block arrives while a tool block is still open (OpenAI-style upstreams end every
 * tool call only at the finish), the new block is buffered and sent, whole so far, once the blocks
 * before it have stopped, so nothing is lost and blocks never interleave.
 */
export class AnthropicContentBlocks {
  readonly #blocks: BlockState[] = [];
  /** Canonical tool-call index → its block. */
  readonly #tools = new Map<number, BlockState>();
  /** The first block not yet stopped. */
  #cursor = 0;
  #outputCharacters = 0;

  /** Whether any tool block was opened: the stop reason is then `tool_use`. */
  get sawToolCall(): boolean {
    return this.#tools.size > 0;
  }

  /** Characters of generated content, for an output estimate when the upstream reports no usage. */
  get outputCharacters(): number {
    return this.#outputCharacters;
  }

  text(text: string): string {
    if (text === '') return '';
    const last = this.#open('text');
    const state = last ?? this.#push({ kind: 'text', text: '' });
    if (state.block.kind === 'text') state.block.text += text;
    this.#outputCharacters += text.length;
    return this.#flush();
  }

  reasoning(text: string, signature: string | undefined): string {
    if (text === '' && !signature) return '';
    const last = this.#open('thinking');
    // Thinking after a signature belongs to a new block: the signature closes the one it signs.
    const reusable = last?.block.kind === 'thinking' && !(last.block.signed && text !== '') ? last : undefined;
    const state = reusable ?? this.#push({ kind: 'thinking', thinking: '', signature: '', signed: false });
    if (state.block.kind === 'thinking') {
      state.block.thinking += text;
      if (signature) {
        state.block.signature += signature;
        state.block.signed = true;
      }
    }
    this.#outputCharacters += text.length;
    return this.#flush();
  }

  redacted(data: string): string {
    this.#push({ kind: 'redacted', data }).ended = true;
    return this.#flush();
  }

  toolStart(index: number, id: string, name: string): string {
    if (this.#tools.has(index)) return '';
    this.#tools.set(index, this.#push({ kind: 'tool', id: sanitizeToolUseId(id), name, json: '', sentJson: false }));
    this.#outputCharacters += name.length;
    return this.#flush();
  }

  toolDelta(index: number, json: string): string {
    const state = this.#tools.get(index);
    if (!state || state.block.kind !== 'tool' || json === '') return '';
    state.block.json += json;
    this.#outputCharacters += json.length;
    return this.#flush();
  }

  toolEnd(index: number): string {
    const state = this.#tools.get(index);
    if (!state) return '';
    state.ended = true;
    return this.#flush();
  }

  /** Ends and stops every block, for the finish or the end of the stream. */
  closeAll(): string {
    for (const state of this.#blocks) state.ended = true;
    return this.#flush();
  }

  /** The last block, when it is still open and of `kind`. */
  #open(kind: Block['kind']): BlockState | undefined {
    const last = this.#blocks.at(-1);
    return last && !last.ended && last.block.kind === kind ? last : undefined;
  }

  #push(block: Block): BlockState {
    const previous = this.#blocks.at(-1);
    if (previous && previous.block.kind !== 'tool') previous.ended = true;
    const state: BlockState = { block, started: false, ended: false };
    this.#blocks.push(state);
    return state;
  }

  /** Sends what can be sent in order: the open block's new content, and every block that has ended. */
  #flush(): string {
    let frames = '';
    for (let state = this.#blocks[this.#cursor]; state; state = this.#blocks[this.#cursor]) {
      const index = this.#cursor;
      if (!state.started) {
        state.started = true;
        frames += anthropicSseFrame({ type: 'content_block_start', index, content_block: startBlock(state.block) });
      }
      frames += drain(state.block, index);
      if (!state.ended) break;
      frames += closingDelta(state.block, index);
      frames += anthropicSseFrame({ type: 'content_block_stop', index });
      this.#cursor += 1;
    }
    return frames;
  }
}

function startBlock(block: Block): Record<string, unknown> {
  switch (block.kind) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

/** The deltas for content received since the last flush; the block keeps only what is unsent. */
function drain(block: Block, index: number): string {
  let frames = '';
  switch (block.kind) {
    case 'text':
      if (block.text !== '') frames += delta(index, TEXT_DELTA, block.text);
      block.text = '';
      break;
    case 'thinking':
      if (block.thinking !== '') frames += delta(index, THINKING_DELTA, block.thinking);
      block.thinking = '';
      break;
    case 'tool':
      if (block.json !== '') {
        frames += delta(index, INPUT_JSON_DELTA, block.json);
        // An empty call still needs `{}`; whitespace alone is no input.
        if (block.json.trim() !== '') block.sentJson = true;
      }
      block.json = '';
      break;
    case 'redacted':
      break;
  }
  return frames;
}

/**
 * What a block still owes before it stops: the whole signature of a thinking block (clients keep only
 * the last `signature_delta`, so it is sent once, complete), and `{}` for a tool call that got no input.
 */
function closingDelta(block: Block, index: number): string {
  if (block.kind === 'thinking' && block.signature !== '') return delta(index, SIGNATURE_DELTA, block.signature);
  if (block.kind === 'tool' && !block.sentJson) return delta(index, INPUT_JSON_DELTA, '{}');
  return '';
}

/**
 * `anthropicSseFrame({ type: 'content_block_delta', index, delta: { type, <key>: value } })`, written around
 * the value's JSON.stringify: a token costs its own text, not a payload object, an envelope and a whole-frame
 * stringify.
 */
function delta(index: number, payloadHead: string, value: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":${payloadHead}${JSON.stringify(value)}}}\n\n`;
}
