import { cloneComposeFile, environmentOf, loadComposeFile } from './compose-file.js';
import { checkKeyPlacement } from './key-placement-policy.js';
import { checkNetworkTopology } from './topology-policy.js';

const compose = loadComposeFile('docker-compose.yml');
const swarm = loadComposeFile('docker-compose.swarm.yml');

describe('network topology: only llm-proxy has a route out', () => {
  it('holds in docker-compose.yml', () => {
    expect(checkNetworkTopology(compose, 'compose')).toEqual([]);
  });

  it('holds in docker-compose.swarm.yml', () => {
    expect(checkNetworkTopology(swarm, 'swarm')).toEqual([]);
  });

  it('catches the gateway joining the egress network', () => {
    const leaky = cloneComposeFile(swarm);
    leaky.services.gateway!.networks = ['nachos-internal', 'nachos-edge', 'nachos-egress'];
    expect(checkNetworkTopology(leaky, 'swarm')).toEqual(['gateway joins nachos-egress, which is routed: it would gain egress']);
  });

  it('catches an internal network that is no longer internal', () => {
    const leaky = cloneComposeFile(compose);
    leaky.networks!['nachos-internal']!.internal = 'true';
    expect(checkNetworkTopology(leaky, 'compose')).toEqual(
      expect.arrayContaining([
        'nachos-internal must be declared with internal: true (a boolean)',
        'redis joins nachos-internal, which is routed: it would gain egress',
        'gateway joins nachos-internal, which is routed: it would gain egress',
      ]),
    );
  });

  it('catches a Traefik network that is routed, and an edge bridge that masquerades', () => {
    const swarmLeak = cloneComposeFile(swarm);
    delete swarmLeak.networks!['nachos-edge']!.internal;
    expect(checkNetworkTopology(swarmLeak, 'swarm')).toEqual(['gateway joins nachos-edge, which is routed: it would gain egress']);
    const composeLeak = cloneComposeFile(compose);
    delete composeLeak.networks!['nachos-edge']!.driver_opts;
    expect(checkNetworkTopology(composeLeak, 'compose')).toEqual(['gateway joins nachos-edge, which is routed: it would gain egress']);
  });

  it('catches a service left on the default network and a second published service', () => {
    const leaky = cloneComposeFile(compose);
    delete leaky.services.redis!.networks;
    leaky.services['llm-proxy']!.ports = ['127.0.0.1:9090:9090'];
    expect(checkNetworkTopology(leaky, 'compose')).toEqual([
      'redis joins no declared network, so it lands on the routed default network',
      'redis does not join nachos-internal',
      'llm-proxy publishes ports; only the gateway may',
    ]);
  });
});

describe('credentials: provider keys in llm-proxy only, gateway keys in the gateway only, none inline', () => {
  it('holds in docker-compose.yml, where keys pass through from .env', () => {
    expect(checkKeyPlacement(compose, 'compose')).toEqual([]);
    expect(environmentOf(compose.services['llm-proxy']!).get('ANTHROPIC_API_KEY')).toBeUndefined();
  });

  it('holds in docker-compose.swarm.yml, where every key is a versioned external secret read through _FILE', () => {
    expect(checkKeyPlacement(swarm, 'swarm')).toEqual([]);
  });

  it('catches a provider key handed to the gateway', () => {
    const leaky = cloneComposeFile(compose);
    (leaky.services.gateway!.environment as string[]).push('OPENAI_API_KEY');
    expect(checkKeyPlacement(leaky, 'compose')).toEqual(['gateway is given provider credential OPENAI_API_KEY']);
  });

  it('catches a key written into the file', () => {
    const leaky = cloneComposeFile(compose);
    (leaky.services['llm-proxy']!.environment as string[]).push('GROQ_API_KEY=not-a-real-key');
    leaky.services.redis!.command = ['redis-server', '--requirepass', 'sk-proj-abcdefghijklmnopqrstuvwx'];
    expect(checkKeyPlacement(leaky, 'compose')).toEqual([
      '/services/redis/command/2 holds what looks like a credential',
      'llm-proxy sets GROQ_API_KEY to a literal value',
    ]);
  });

  it('catches a swarm key read from the environment, an unmounted secret and an unversioned one', () => {
    const leaky = cloneComposeFile(swarm);
    const environment = leaky.services['llm-proxy']!.environment as Record<string, string>;
    delete environment.MISTRAL_API_KEY_FILE;
    environment.MISTRAL_API_KEY = '${MISTRAL_API_KEY}';
    leaky.services['llm-proxy']!.secrets = leaky.services['llm-proxy']!.secrets!.filter((secret) => secret !== 'groq_api_key');
    leaky.secrets!.openai_api_key!.name = 'nachos_openai_api_key';
    expect(checkKeyPlacement(leaky, 'swarm')).toEqual([
      'llm-proxy: GROQ_API_KEY_FILE reads secret groq_api_key, which the service does not mount',
      'llm-proxy takes MISTRAL_API_KEY from the environment; on swarm it must come from a secret (MISTRAL_API_KEY_FILE)',
      'secret openai_api_key needs a versioned name (…_v1), not nachos_openai_api_key',
      'llm-proxy does not read MISTRAL_API_KEY_FILE',
    ]);
  });
});
