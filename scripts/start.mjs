#!/usr/bin/env node
/**
 * `npm start`: builds what is out of date, then runs llm-proxy and the gateway as two processes on this
 * machine (in-memory state; the mock provider's models when no provider is configured), with `.env` from
 * the working directory under the environment. Ctrl-C or SIGTERM stops both; if either dies, the other
 * is stopped too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { environmentWithDotenv } from './load-dotenv.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const build = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The admin console's static files (under /admin); a bundle takes well under a second.
const consoleBuild = spawnSync(process.execPath, [`${root}services/admin-console/build.mjs`], { cwd: root, stdio: 'inherit' });
if (consoleBuild.status !== 0) process.exit(consoleBuild.status ?? 1);

const dotenv = environmentWithDotenv(process.cwd(), process.env);
if (dotenv.read) console.error(`read ${dotenv.read.names} variable(s) from ${dotenv.read.path} (the environment wins)`);
const grpcPort = Number(dotenv.env.LLM_PROXY_GRPC_PORT || 50051);
const env = { ...dotenv.env, LLM_PROXY_URL: dotenv.env.LLM_PROXY_URL || `127.0.0.1:${grpcPort}` };
const children = new Map();
let stopping = false;

function run(name, entry) {
  const child = spawn(process.execPath, [`${root}${entry}`], { cwd: process.cwd(), env, stdio: 'inherit' });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping`);
      stop(code || 1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (children.size === 0) process.exit(code);
  for (const child of children.values()) child.kill('SIGTERM');
}

/** The gateway starts once llm-proxy accepts connections, so the first request does not race it. */
async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    const open = await new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('llm-proxy', 'services/llm-proxy/dist/main.js');
if (await waitForPort(grpcPort, 30_000)) run('gateway', 'services/gateway/dist/main.js');
else if (!stopping) {
  console.error(`llm-proxy did not open port ${grpcPort} within 30 s`);
  stop(1);
}
