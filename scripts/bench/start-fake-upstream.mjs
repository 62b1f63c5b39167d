/** Starts fake-upstream.mjs as its own process; `counts()` asks it for the connections and requests it has seen. */
import { measuredGroup } from './process-usage.mjs';
import { startNodeScript } from './start-node-script.mjs';

export async function startFakeUpstream({ cores, openFiles } = {}) {
  const { managed, port, url } = await startNodeScript('fake upstream', 'fake-upstream.mjs', { cores, openFiles });
  const { child } = managed;
  const counts = () =>
    new Promise((resolve) => {
      child.on('message', function onCounts(message) {
        if (message.type !== 'counts') return;
        child.off('message', onCounts);
        resolve({ connections: message.connections, requests: message.requests });
      });
      child.send({ type: 'counts' });
    });
  return { url, port, managed, counts, group: measuredGroup('upstream', () => [child.pid]) };
}
