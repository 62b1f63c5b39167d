/**
 * Which measured processes stand on each target's path, as the "front" (the process the client talks to)
 * and the "back" (the process that talks to the upstream; none for one-process targets). Figures "per
 * service" are per front and back; "both" is their sum.
 */
const TARGET_PARTIES = {
  direct: { front: undefined, back: undefined },
  nginx: { front: 'nginx', back: undefined },
  'node-proxy': { front: 'node-proxy', back: undefined },
  'grpc-floor': { front: 'floor front', back: 'floor back' },
  baseline: { front: 'baseline gateway', back: 'baseline llm-proxy' },
  nachos: { front: 'gateway', back: 'llm-proxy' },
};

/** Front, back and both of a per-party figure (`figures` keyed by party label); NaN where a part is absent. */
export function splitByParty(target, figures) {
  const { front, back } = TARGET_PARTIES[target];
  const frontValue = front ? figures[front] : NaN;
  const backValue = back ? figures[back] : NaN;
  return { front: frontValue, back: backValue, both: front ? frontValue + (back ? backValue : 0) : NaN };
}
