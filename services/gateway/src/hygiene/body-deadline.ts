import type { IncomingMessage } from 'node:http';

/** Longest a request is held after it was tracked before the deadline looks at it, when no other follows it. */
const SETTLE_MS = 1_000;

/**
 * Bounds how long a request body may take to arrive: `timeoutMs` from the moment its headers are in, so a
 * client trickling a body holds its socket no longer than that. A body still incomplete when its time is up
 * goes to `late` (which answers it or closes the connection).
 *
 * Nearly every body arrives with its headers, so a request costs two array slots until the next request
 * (or the timer) looks at it and lets it go: no timer, map entry or listener of its own. Only a body still
 * coming then is kept on the due list, in arrival order, which with one timeout is the order deadlines fall
 * due; one timer, armed for the oldest (and at least every second while anything is kept), serves them all,
 * and stops each firing at the first one not yet due.
 */
export class BodyDeadline {
  private readonly fresh: IncomingMessage[] = [];
  private readonly freshDeadlines: number[] = [];
  private readonly due = new Map<IncomingMessage, number>();
  private readonly arrived: (this: IncomingMessage) => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly late: (request: IncomingMessage) => void,
  ) {
    const due = this.due;
    this.arrived = function arrived() {
      due.delete(this);
    };
  }

  /** Starts the clock of a request whose headers have just arrived, if a body is to follow them. */
  track(request: IncomingMessage): void {
    const { headers } = request;
    const length = headers['content-length'];
    if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return;
    if (this.fresh.length > 0) this.settle();
    this.fresh.push(request);
    this.freshDeadlines.push(performance.now() + this.timeoutMs);
    this.timer ??= setTimeout(this.expire, Math.min(this.timeoutMs, SETTLE_MS)).unref();
  }

  /** Lets go of the fresh requests whose bodies are in (or whose clients gave up), keeps the others due. */
  private settle(): void {
    const { fresh, freshDeadlines } = this;
    for (let index = 0; index < fresh.length; index += 1) {
      const request = fresh[index]!;
      if (request.complete || request.destroyed) continue;
      this.due.set(request, freshDeadlines[index]!);
      request.on('end', this.arrived);
    }
    fresh.length = 0;
    freshDeadlines.length = 0;
  }

  private readonly expire = (): void => {
    this.timer = undefined;
    this.settle();
    const now = performance.now();
    for (const [request, deadline] of this.due) {
      // Complete but not read yet (its handler is busy before the body step), or given up by its client.
      if (request.complete || request.destroyed) {
        this.due.delete(request);
        continue;
      }
      if (deadline > now) {
        this.timer = setTimeout(this.expire, Math.min(deadline - now, SETTLE_MS)).unref();
        return;
      }
      this.due.delete(request);
      request.off('end', this.arrived);
      this.late(request);
    }
  };
}
