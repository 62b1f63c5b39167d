import { Counter, Gauge, type Registry } from 'prom-client';
import type { SharedState } from '@nachos/common';

export interface RouterMetrics {
  /** Canonical events relayed to callers: per answer, a figure that shows a chattier path on any machine. */
  events: Counter;
  failovers: Counter;
  upstreamErrors: Counter<'endpoint' | 'kind'>;
}

/**
 * The routing metrics. Labels are bounded: endpoint ids come from configuration, kinds from a fixed
 * list; cooldown reasons are folded into a small set of classes.
 */
export function createRouterMetrics(registry: Registry, state: SharedState): RouterMetrics {
  new Gauge({
    name: 'nachos_llm_proxy_cooldowns',
    help: 'Keys (and key/model pairs) currently cooling down, by endpoint and reason class.',
    labelNames: ['endpoint', 'reason'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const cooldown of await state.listCooldowns()) {
        const endpoint = cooldown.key.split('/')[0] ?? '';
        this.inc({ endpoint, reason: reasonClass(cooldown.reason) });
      }
    },
  });
  new Gauge({
    name: 'nachos_llm_proxy_state_degraded',
    help: '1 when Redis is configured but unavailable and state is per process.',
    registers: [registry],
    collect() {
      this.set(state.mode() === 'degraded' ? 1 : 0);
    },
  });
  return {
    events: new Counter({ name: 'nachos_llm_proxy_chat_events_total', help: 'Canonical chat events relayed to callers.', registers: [registry] }),
    failovers: new Counter({ name: 'nachos_llm_proxy_failovers_total', help: 'Attempts after the first, across routes and keys.', registers: [registry] }),
    upstreamErrors: new Counter({
      name: 'nachos_llm_proxy_upstream_errors_total',
      help: 'Failed upstream attempts by endpoint and error kind.',
      labelNames: ['endpoint', 'kind'],
      registers: [registry],
    }),
  };
}

function reasonClass(reason: string): string {
  if (reason.startsWith('rate limited')) return 'rate_limited';
  if (reason.startsWith('key rejected')) return 'key_rejected';
  return 'server_errors';
}
