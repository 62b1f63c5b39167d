/** Something holding events until the end of the current turn of the event loop. */
export interface TurnFlushed {
  flushTurn(): void;
}

let due: TurnFlushed[] = [];
let scheduled = false;

function flushDue(): void {
  const flushing = due;
  due = [];
  scheduled = false;
  for (const holder of flushing) holder.flushTurn();
}

/**
 * Flushes `holder` once the events of this turn are in: one `setImmediate` per turn for every call that
 * has events waiting, rather than a timer and a promise per call and batch. The flush runs before any
 * timer, so a lone token still leaves at once. A holder must not throw from `flushTurn`.
 */
export function flushAtTurnEnd(holder: TurnFlushed): void {
  due.push(holder);
  if (scheduled) return;
  scheduled = true;
  setImmediate(flushDue);
}
