import { type ComposeFile, environmentOf, networksOf } from './compose-file.js';

export const INTERNAL_NETWORK = 'nachos-internal';
export const EGRESS_NETWORK = 'nachos-egress';
/** The one service that talks to providers, and so the one that may have a route out. */
export const EGRESS_SERVICE = 'llm-proxy';
export const PUBLIC_SERVICE = 'gateway';

const MASQUERADE_OPTION = 'com.docker.network.bridge.enable_ip_masquerade';

/**
 * Who can reach the internet. The engine gives a container a default route through every network that is
 * not `internal: true` (swarm: through docker_gwbridge), so egress follows from network membership alone:
 * only llm-proxy may join a routed network. On a single host the gateway needs one non-internal bridge to
 * publish its port; that bridge is allowed only with masquerading off, which leaves its outbound packets
 * with an address no router answers. Returns one line per violation.
 */
export function checkNetworkTopology(file: ComposeFile, flavour: 'compose' | 'swarm'): string[] {
  const violations: string[] = [];
  const networks = file.networks ?? {};
  const internal = networks[INTERNAL_NETWORK];
  if (internal?.internal !== true) violations.push(`${INTERNAL_NETWORK} must be declared with internal: true (a boolean)`);
  const egress = networks[EGRESS_NETWORK];
  if (!egress || egress.internal === true) violations.push(`${EGRESS_NETWORK} must be declared as a routed network`);
  if (flavour === 'swarm') {
    for (const [name, network] of Object.entries(networks)) {
      if (network?.driver !== 'overlay') violations.push(`${name} must use the overlay driver on swarm`);
    }
  }

  for (const [serviceName, service] of Object.entries(file.services)) {
    if (service.network_mode !== undefined) violations.push(`${serviceName} sets network_mode, which bypasses the topology`);
    const joined = networksOf(service);
    if (joined.length === 0) violations.push(`${serviceName} joins no declared network, so it lands on the routed default network`);
    if (!joined.includes(INTERNAL_NETWORK)) violations.push(`${serviceName} does not join ${INTERNAL_NETWORK}`);
    for (const networkName of joined) {
      const network = networks[networkName];
      if (network === undefined) {
        violations.push(`${serviceName} joins ${networkName}, which the file does not declare`);
        continue;
      }
      if (network?.external === true) {
        violations.push(`${serviceName} joins external network ${networkName}, whose routing this file cannot show`);
        continue;
      }
      if (network?.internal === true || serviceName === EGRESS_SERVICE) continue;
      const unmasqueradedEdge =
        flavour === 'compose' && serviceName === PUBLIC_SERVICE && network?.driver_opts?.[MASQUERADE_OPTION] === 'false';
      if (!unmasqueradedEdge) violations.push(`${serviceName} joins ${networkName}, which is routed: it would gain egress`);
    }
    const publishesPorts = (service.ports ?? []).length > 0;
    if (publishesPorts && (flavour === 'swarm' || serviceName !== PUBLIC_SERVICE)) {
      violations.push(`${serviceName} publishes ports; ${flavour === 'swarm' ? 'Traefik is the way in on swarm' : 'only the gateway may'}`);
    }
    if (serviceName !== EGRESS_SERVICE && environmentOf(service).has('OLLAMA_HOST')) {
      violations.push(`${serviceName} is given OLLAMA_HOST, but only ${EGRESS_SERVICE} can reach the host's model servers`);
    }
  }
  if (!networksOf(file.services[EGRESS_SERVICE] ?? {}).includes(EGRESS_NETWORK)) {
    violations.push(`${EGRESS_SERVICE} must join ${EGRESS_NETWORK} to reach providers`);
  }
  return violations;
}
