/**
 * Starts one of the benchmark's own Node processes (fake upstream, floors) and resolves once it reports
 * `{type: 'listening', port}` over IPC; rejects with its output if it exits first.
 */
import { fileURLToPath } from 'node:url';
import { startProcess } from './managed-processes.mjs';

export async function startNodeScript(name, scriptName, { env = {}, cores, openFiles } = {}) {
  const script = fileURLToPath(new URL(`./${scriptName}`, import.meta.url));
  const managed = startProcess(name, script, [], { ipc: true, env: { PATH: process.env.PATH, ...env }, cores, openFiles });
  const port = await new Promise((resolve, reject) => {
    const onExit = (code, signal) => reject(new Error(`${name} exited (${signal ?? code})\n--- ${name} output ---\n${managed.output()}`));
    managed.child.once('exit', onExit);
    managed.child.on('message', function onListening(message) {
      if (message.type !== 'listening') return;
      managed.child.off('message', onListening);
      managed.child.off('exit', onExit);
      resolve(message.port);
    });
  });
  return { managed, port, url: `http://127.0.0.1:${port}` };
}
