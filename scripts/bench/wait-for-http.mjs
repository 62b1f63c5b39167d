/** Polls a URL until it answers 200, failing early with the process's output if the process dies. */
import { assertRunning } from './managed-processes.mjs';

export async function waitForHttp(url, processes, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    processes.forEach(assertRunning);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const output = processes.map((managed) => `--- ${managed.name} output ---\n${managed.output()}`).join('\n');
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (${lastProblem})\n${output}`);
}
