/** How often a stream with calls in flight looks at whether llm-proxy has shown itself since the last look. */
const TICK_MS = 1_000;
/**
 * How long a stream with calls in flight may go with no frame and no answer to a probe before llm-proxy
 * counts as frozen. Longer than the stalls a saturated machine gives a live process (seconds), short
 * enough that a frozen one is given up well before a client would.
 */
export const SILENCE_LIMIT_MS = 7_000;

/** Asks llm-proxy, on the stream's own connection, whether it is there; `done` says whether it answered at all. */
export type LivenessProbe = (deadlineMs: number, done: (answered: boolean) => void) => void;

/**
 * Tells a frozen llm-proxy from a busy one on one `Mux` stream. Any frame received is proof of life, so
 * a stream busy with answers is never given up however late a ping would be; a quiet stream with calls
 * in flight asks llm-proxy (one probe at a time) and counts its answer as proof too. The stream is given
 * up only after `SILENCE_LIMIT_MS` without proof. A tick that itself ran late (this process was starved)
 * judges nothing: answers that came meanwhile may still sit unread behind it. It ticks only while calls
 * are in flight ({@link watch} when one starts): a stream with none has nothing to lose, and an idle
 * gateway is not woken once a second per stream for it.
 */
export class MuxLiveness {
  readonly #probe: LivenessProbe;
  readonly #busy: () => boolean;
  readonly #frozen: () => void;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Frames the stream has received; the stream counts them, the tick compares. */
  frames = 0;
  #framesSeen = 0;
  #provenAt = Date.now();
  #tickedAt = Date.now();
  #probing = false;

  /** `busy` says whether calls are in flight: a stream with none has nothing to lose and is not judged. */
  constructor(probe: LivenessProbe, busy: () => boolean, frozen: () => void) {
    this.#probe = probe;
    this.#busy = busy;
    this.#frozen = frozen;
  }

  /** A call started: tick from now on, counting llm-proxy as shown until now, if not ticking already. */
  watch(): void {
    if (this.#timer !== undefined || this.#stopped) return;
    this.#framesSeen = this.frames;
    this.#provenAt = this.#tickedAt = Date.now();
    this.#timer = setInterval(() => this.#tick(), TICK_MS).unref();
  }

  #tick(): void {
    const now = Date.now();
    const late = now - this.#tickedAt > 2 * TICK_MS;
    this.#tickedAt = now;
    const busy = this.#busy();
    if (this.frames !== this.#framesSeen || !busy) {
      this.#framesSeen = this.frames;
      this.#provenAt = now;
      if (!busy) this.#pause();
      return;
    }
    if (late) return;
    if (now - this.#provenAt >= SILENCE_LIMIT_MS) {
      this.stop();
      this.#frozen();
      return;
    }
    if (this.#probing) return;
    this.#probing = true;
    this.#probe(SILENCE_LIMIT_MS, (answered) => {
      this.#probing = false;
      if (answered) this.#provenAt = Date.now();
    });
  }

  #pause(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  stop(): void {
    this.#stopped = true;
    this.#pause();
  }
}
