import winston from 'winston';
import { flushStdoutLines } from './stdout-lines.js';

/**
 * winston's console transport, writing what {@link gatherStdoutLine} holds first: a start-up line, a
 * warning or an error then follows the request lines logged before it, as it was logged, and leaves at
 * once (an error before a crash is not held back).
 */
export class ConsoleAfterGatheredLines extends winston.transports.Console {
  override log(info: unknown, next: () => void): void {
    flushStdoutLines();
    super.log!(info, next);
  }
}
