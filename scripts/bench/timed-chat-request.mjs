/**
 * One timed OpenAI chat request over `node:http` with a keep-alive agent (no client library: the same thin
 * client for every target, so what differs between targets is only what sits behind the URL).
 */
import { request as httpRequest } from 'node:http';

/** Fails the request in the load generator's tally; the status and a bit of the body say why. */
export class BenchRequestError extends Error {}

function post(agent, url, body, onResponse) {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: 'Bearer sk-bench' },
      },
      (response) => {
        if (response.statusCode !== 200) {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (part) => (text += part));
          response.on('end', () => reject(new BenchRequestError(`HTTP ${response.statusCode}: ${text.slice(0, 300)}`)));
          return;
        }
        onResponse(response, resolve, reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A non-streaming completion; resolves with the latency in ms, from sending to the body's last byte. */
export function timeCompletion(agent, url, body) {
  const startedAt = performance.now();
  return post(agent, url, body, (response, resolve, reject) => {
    response.on('data', () => {});
    response.on('error', reject);
    response.on('end', () => resolve(performance.now() - startedAt));
  });
}

/** Whether an SSE event carries generated text (the role-only first chunk and the finish chunk do not). */
function carriesContent(event) {
  const data = event.startsWith('data: ') ? event.slice(6) : '';
  if (data === '' || data === '[DONE]') return false;
  return Boolean(JSON.parse(data).choices?.[0]?.delta?.content);
}

/**
 * A streaming completion. Time to first token is the arrival of the first event with text (`onFirstToken`
 * is called then); the gaps are between successive events with text (two events in one read count as a gap
 * of ~0: the client sees them together); total is until the stream ends.
 */
export function timeStream(agent, url, body, onFirstToken) {
  const startedAt = performance.now();
  return post(agent, url, body, (response, resolve, reject) => {
    const arrivals = [];
    let pending = '';
    response.setEncoding('utf8');
    response.on('data', (text) => {
      const now = performance.now();
      pending += text;
      let boundary = pending.indexOf('\n\n');
      while (boundary !== -1) {
        if (carriesContent(pending.slice(0, boundary))) {
          arrivals.push(now);
          if (arrivals.length === 1) onFirstToken?.();
        }
        pending = pending.slice(boundary + 2);
        boundary = pending.indexOf('\n\n');
      }
    });
    response.on('error', reject);
    response.on('end', () => {
      if (arrivals.length === 0) {
        reject(new BenchRequestError('stream ended without any text'));
        return;
      }
      const gaps = arrivals.slice(1).map((arrival, index) => arrival - arrivals[index]);
      resolve({ firstToken: arrivals[0] - startedAt, gaps, total: performance.now() - startedAt, chunks: arrivals.length });
    });
  });
}
