/** The parent's side of load-generator.mjs: one job at a time, each step a message and its reply. */
import { fileURLToPath } from 'node:url';
import { startProcess } from './managed-processes.mjs';

const SCRIPT = fileURLToPath(new URL('./load-generator.mjs', import.meta.url));

export function startLoadGenerator({ cores, openFiles } = {}) {
  const managed = startProcess('load generator', SCRIPT, [], { ipc: true, env: { PATH: process.env.PATH }, cores, openFiles });
  const { child } = managed;

  /** Sends one step and resolves with the reply's payload; rejects if the step failed or the process died. */
  const step = (message, expected) =>
    new Promise((resolve, reject) => {
      const onExit = (code, signal) => reject(new Error(`the load generator exited (${signal ?? code})\n${managed.output()}`));
      child.once('exit', onExit);
      child.once('message', (reply) => {
        child.off('exit', onExit);
        if (reply.type === expected) resolve(reply.result);
        else reject(new Error(`load generator: ${reply.message}`));
      });
      child.send(message);
    });

  return {
    managed,
    prepare: (job) => step({ type: 'prepare', ...job }, 'prepared'),
    run: (durationMs) => step({ type: 'run', durationMs }, 'result'),
  };
}
