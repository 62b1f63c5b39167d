/**
 * Before measuring, one request of each kind through every target, checked for what the fake upstream
 * sends: a benchmark of error responses (a wrong model name, a missing route) would look very fast.
 */
import { CHECK_PACING, INSTANT_MODEL, INSTANT_TEXT, pacedModel } from './bench-models.mjs';

async function post(url, body) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

function countTextChunks(sse) {
  return sse
    .split('\n\n')
    .map((event) => (event.startsWith('data: ') ? event.slice(6) : ''))
    .filter((data) => data !== '' && data !== '[DONE]' && JSON.parse(data).choices?.[0]?.delta?.content).length;
}

/** Throws naming the target and what it answered when a target does not relay the fake upstream faithfully. */
export async function verifyTargets(targets) {
  const messages = [{ role: 'user', content: 'Say hello.' }];
  const pacing = CHECK_PACING;
  for (const target of targets) {
    try {
      const completion = JSON.parse(await post(target.url, { model: INSTANT_MODEL, messages }));
      const content = completion.choices?.[0]?.message?.content;
      if (content !== INSTANT_TEXT) throw new Error(`unexpected completion: ${JSON.stringify(completion).slice(0, 500)}`);
      const received = countTextChunks(await post(target.url, { model: pacedModel(pacing), messages, stream: true }));
      if (received !== pacing.tokens) throw new Error(`a stream carried ${received} text chunks instead of ${pacing.tokens}`);
    } catch (error) {
      throw new Error(`${target.name} (${target.url}) does not relay the fake upstream: ${error.message}`);
    }
  }
}
