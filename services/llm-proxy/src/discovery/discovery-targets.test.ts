import { discoveryTargets, splitPeer } from './discovery-targets.js';
import { SERVER_KINDS } from './server-kinds.js';

const ports = [
  { kind: 'ollama' as const, port: 11434 },
  { kind: 'vllm' as const, port: 8000 },
];

describe('discoveryTargets', () => {
  it('probes local hosts and bare peers on each kind’s port, host:port peers on that port for every kind', () => {
    expect(discoveryTargets(['127.0.0.1'], ['gpu-box', 'gpu-box:8001'], ports)).toEqual([
      { host: '127.0.0.1', port: 11434, kinds: ['ollama'], local: true },
      { host: '127.0.0.1', port: 8000, kinds: ['vllm'], local: true },
      { host: 'gpu-box', port: 11434, kinds: ['ollama'], local: false },
      { host: 'gpu-box', port: 8000, kinds: ['vllm'], local: false },
      { host: 'gpu-box', port: 8001, kinds: SERVER_KINDS, local: false },
    ]);
  });

  it('probes a peer that is also a local host once, as local', () => {
    expect(discoveryTargets(['127.0.0.1'], ['127.0.0.1:8000'], ports).filter((target) => target.port === 8000)).toEqual([
      { host: '127.0.0.1', port: 8000, kinds: ['vllm'], local: true },
    ]);
  });
});

describe('splitPeer', () => {
  it('reads names, addresses, bracketed IPv6 and tolerates a scheme', () => {
    expect(splitPeer('gpu-box')).toEqual({ host: 'gpu-box', port: undefined });
    expect(splitPeer('10.0.0.7:8000')).toEqual({ host: '10.0.0.7', port: 8000 });
    expect(splitPeer('[fd00::7]:4000')).toEqual({ host: 'fd00::7', port: 4000 });
    expect(splitPeer('fd00::7')).toEqual({ host: 'fd00::7', port: undefined });
    expect(splitPeer('http://box:1234/v1')).toEqual({ host: 'box', port: 1234 });
  });
});
