import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential that cannot be printed by accident.
 *
 * `String(secret)`, `JSON.stringify`, template literals and `util.inspect` (which winston and
 * `console.log` use) all yield `[redacted]`; only {@link Secret.reveal} returns the value, so every
 * place that sends a key upstream is one grep away.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value. Call it only where the key leaves the process (an upstream header). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
