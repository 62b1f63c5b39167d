/**
 * The two model names the fake upstream serves; the name picks how it answers. nachos's llm-proxy asks its
 * upstream for a stream even when its client did not (so that it can fail over before the first byte), so the
 * fake cannot tell a non-streaming client from its request: the model name tells it instead.
 */

/** Answers at once: one JSON body, or for `stream: true` every chunk in one write. Non-streaming load. */
export const INSTANT_MODEL = 'bench-model';

/** Streams its chunks a fixed gap apart (BENCH_CHUNKS, BENCH_CHUNK_GAP_MS). Streaming load. */
export const PACED_MODEL = 'bench-model-paced';

/** The text of every answer from the instant model, streamed or not. */
export const INSTANT_TEXT = 'Hello from the benchmark upstream.';
