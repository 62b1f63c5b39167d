// One request from inside a namespace, as the process living there would make it. Prints one JSON line:
// {"status", "body"} for an HTTP answer, {"connected": true} for a TCP probe, {"error": code} otherwise.
// Usage: node http-probe.mjs http <METHOD> <url> [json-body] [header:value ...]
//        node http-probe.mjs tcp <host> <port>
import { connect } from 'node:net';

const [mode, ...rest] = process.argv.slice(2);
const print = (result) => process.stdout.write(`${JSON.stringify(result)}\n`);
const failure = (error) => ({ error: error?.cause?.code ?? error?.code ?? error?.name ?? String(error) });

if (mode === 'tcp') {
  const [host, port] = rest;
  const socket = connect({ host, port: Number(port), timeout: 3000 });
  socket.on('connect', () => {
    print({ connected: true });
    socket.destroy();
  });
  socket.on('timeout', () => {
    print({ error: 'ETIMEDOUT' });
    socket.destroy();
  });
  socket.on('error', (error) => print(failure(error)));
} else {
  const [method, url, body, ...headerArguments] = rest;
  const headers = Object.fromEntries(
    headerArguments.map((header) => [header.slice(0, header.indexOf(':')), header.slice(header.indexOf(':') + 1)]),
  );
  if (body) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(url, { method, headers, body: body || undefined, signal: AbortSignal.timeout(10_000) });
    print({ status: response.status, body: await response.text() });
  } catch (error) {
    print(failure(error));
  }
}
