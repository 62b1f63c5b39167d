import { api } from '../api.js';
import { timeChart } from '../chart.js';
import { fill, h, messageOf, notice, section, tag } from '../dom.js';
import { clock, count, milliseconds, percent } from '../format.js';
import { every, type Page } from '../page.js';
import type { History, Replica, Status } from '../types.js';

/** Health of the replicas and Redis, and the last hour's traffic. */
export const overviewPage: Page = {
  path: 'overview',
  title: 'Overview',
  render(main) {
    const health = h('div', { class: 'tiles' });
    const problems = h('div');
    const charts = {
      rate: timeChart('Requests per second', 'requests', (value) => (value === null ? '—' : value.toFixed(value < 10 ? 2 : 0))),
      errors: timeChart('Error rate', 'errors', (value) => (value === null ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} %`)),
      ttft: timeChart('Time to first token', 'ttft', milliseconds),
      tokens: timeChart('Tokens per minute', 'tokens', count),
    };
    const totals = h('p', { class: 'muted' });
    fill(
      main,
      problems,
      section('Health', health),
      section('Last hour', totals, h('div', { class: 'charts' }, ...Object.values(charts).map((chart) => chart.element))),
    );

    const stop = every(10_000, async () => {
      try {
        const [status, history] = await Promise.all([api<Status>('status'), api<History>('usage/history?range=hour')]);
        fill(problems);
        fill(health, ...healthTiles(status));
        const { series } = history;
        charts.rate.update(history.times, [{ label: 'req/s', values: series.requests.map((value) => value / 60) }]);
        charts.errors.update(history.times, [
          { label: 'errors', values: series.requests.map((requests, index) => (requests === 0 ? null : (100 * (series.failures[index] ?? 0)) / requests)) },
        ]);
        charts.ttft.update(history.times, [
          { label: 'p50', values: series.ttft_p50_ms },
          { label: 'p95', values: series.ttft_p95_ms },
        ]);
        charts.tokens.update(history.times, [
          { label: 'tokens', values: series.total_tokens },
          { label: 'output', values: series.output_tokens },
        ]);
        const t = history.totals;
        totals.textContent = `${count(t.requests)} requests, ${percent(t.failures, t.requests)} failed, ${count(t.total_tokens)} tokens; time to first token p50 ${milliseconds(t.ttft_p50_ms)}, p95 ${milliseconds(t.ttft_p95_ms)}.`;
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    });
    return () => {
      stop();
      for (const chart of Object.values(charts)) chart.destroy();
    };
  },
};

function healthTiles(status: Status): HTMLElement[] {
  return [
    tile('Gateway replicas', summary(status.replicas), replicaList(status.replicas, status.gateway.replica)),
    tile(
      'llm-proxy replicas',
      status.llm_proxy === 'serving' ? summary(status.llm_proxy_replicas) : tag(status.llm_proxy, 'bad'),
      replicaList(status.llm_proxy_replicas, undefined),
      h('p', { class: 'muted' }, `${status.llm_proxy} as this gateway reaches it over gRPC`),
    ),
    tile(
      'Redis',
      tag(status.redis, status.redis === 'ok' ? 'good' : status.redis === 'not_configured' ? '' : 'bad'),
      h('p', { class: 'muted' }, status.redis === 'not_configured' ? 'state is kept per process; each replica lists only itself' : 'shared state for every replica'),
    ),
  ];
}

const STATUS_KIND: Readonly<Record<string, string>> = { serving: 'good', draining: 'warn', lagging: 'warn', silent: 'bad' };

function summary(replicas: readonly Replica[]): HTMLElement {
  const serving = replicas.filter((replica) => replica.status === 'serving').length;
  return tag(`${serving} of ${replicas.length} serving`, serving === replicas.length && serving > 0 ? 'good' : 'warn');
}

/** Each replica by name with its own status; `self` marks the replica that answered this page. */
function replicaList(replicas: readonly Replica[], self: string | undefined): HTMLElement {
  return h(
    'ul',
    { class: 'plain replicas' },
    ...replicas.map((replica) =>
      h(
        'li',
        { attrs: { 'data-replica': replica.replica } },
        tag(replica.status, STATUS_KIND[replica.status] ?? 'warn'),
        ' ',
        h('span', { class: 'name' }, replica.replica),
        replica.replica === self ? h('span', { class: 'muted' }, ' (this one)') : null,
        h('span', { class: 'muted block' }, replica.status === 'silent' ? `last heard ${clock(replica.seen_at)}` : `since ${clock(replica.started_at)}`),
      ),
    ),
  );
}

function tile(title: string, ...children: Array<HTMLElement | string>): HTMLElement {
  return h('div', { class: 'tile' }, h('h3', {}, title), ...children);
}
