import { api } from '../api.js';
import { timeChart } from '../chart.js';
import { download, toCsv } from '../csv.js';
import { fill, h, messageOf, notice, section, table } from '../dom.js';
import { count, percent } from '../format.js';
import { every, type Page } from '../page.js';
import type { History, HistoryGroup } from '../types.js';

const RANGES = [
  ['hour', 'Last hour'],
  ['day', 'Last 24 hours'],
  ['yesterday', 'Yesterday (UTC)'],
  ['week', 'Last 7 days'],
] as const;
const DIMENSIONS = [
  ['key', 'Gateway key'],
  ['model', 'Model'],
  ['provider', 'Provider'],
  ['endpoint', 'Endpoint'],
] as const;
/** Groups drawn as their own line; the rest are in the table. */
const CHARTED_GROUPS = 5;

/** Requests, tokens and failures over a range, by key, model, provider or endpoint; exportable as CSV. */
export const usagePage: Page = {
  path: 'usage',
  title: 'Usage',
  render(main) {
    let range: string = 'day';
    let dimension: string = 'key';
    let history: History | undefined;
    const problems = h('div');
    const totals = h('p', { class: 'muted' });
    const charts = {
      requests: timeChart('Requests', 'usage-requests', count),
      tokens: timeChart('Tokens', 'usage-tokens', count),
      groups: timeChart('Requests by gateway key', 'usage-groups', count),
    };
    const list = h('div');
    const rangeButtons = RANGES.map(([value, label]) =>
      h('button', { attrs: { type: 'button', 'data-range': value, 'aria-pressed': String(value === range) }, on: { click: () => select(value) } }, label),
    );
    const dimensionSelect = h(
      'select',
      { attrs: { 'aria-label': 'Group by' }, on: { change: () => ((dimension = dimensionSelect.value), retitle(), draw()) } },
      ...DIMENSIONS.map(([value, label]) => h('option', { attrs: { value, selected: value === dimension } }, label)),
    );
    const exportButton = h('button', { attrs: { type: 'button' }, on: { click: () => history && exportCsv(history) } }, 'Export CSV');
    fill(
      main,
      problems,
      section(
        'Usage',
        h('div', { class: 'toolbar' }, h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Range' } }, ...rangeButtons), dimensionSelect, exportButton),
        totals,
        h('div', { class: 'charts' }, charts.requests.element, charts.tokens.element, charts.groups.element),
      ),
      section('By group', list),
    );

    const retitle = () => {
      const label = DIMENSIONS.find(([value]) => value === dimension)?.[1] ?? 'group';
      const title = charts.groups.element.querySelector('figcaption span');
      if (title) title.textContent = `Requests by ${label.toLowerCase()}`;
    };
    const draw = () => {
      if (!history) return;
      const { series, times } = history;
      charts.requests.update(times, [
        { label: 'requests', values: series.requests },
        { label: 'failures', values: series.failures },
      ]);
      charts.tokens.update(times, [
        { label: 'input', values: series.input_tokens },
        { label: 'output', values: series.output_tokens },
      ]);
      const groups = history.groups[dimension] ?? [];
      charts.groups.update(
        times,
        groups.slice(0, CHARTED_GROUPS).map((group) => ({ label: group.name, values: group.series.requests })),
      );
      const t = history.totals;
      totals.textContent = `${count(t.requests)} requests (${percent(t.failures, t.requests)} failed), ${count(t.input_tokens)} input and ${count(t.output_tokens)} output tokens.`;
      fill(
        list,
        table<HistoryGroup>(
          [
            { label: DIMENSIONS.find(([value]) => value === dimension)?.[1] ?? 'Name', cell: (group) => h('strong', { class: 'name' }, group.name) },
            { label: 'Requests', cell: (group) => count(group.requests), numeric: true },
            { label: 'Failures', cell: (group) => `${count(group.failures)} (${percent(group.failures, group.requests)})`, numeric: true },
            { label: 'Input tokens', cell: (group) => count(group.input_tokens), numeric: true },
            { label: 'Output tokens', cell: (group) => count(group.output_tokens), numeric: true },
            { label: 'Total tokens', cell: (group) => count(group.total_tokens), numeric: true },
          ],
          groups,
          'Nothing was requested in this range.',
          (group) => ({ 'data-group': group.name }),
        ),
      );
    };
    const refresh = async () => {
      try {
        history = await api<History>(`usage/history?range=${range}`);
        fill(problems);
        draw();
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    };
    const select = (value: string) => {
      range = value;
      for (const button of rangeButtons) button.setAttribute('aria-pressed', String(button.dataset.range === value));
      void refresh();
    };
    const stop = every(15_000, refresh);
    return () => {
      stop();
      for (const chart of Object.values(charts)) chart.destroy();
    };
  },
};

function exportCsv(history: History): void {
  const rows = DIMENSIONS.flatMap(([dimension]) =>
    (history.groups[dimension] ?? []).map((group) => [dimension, group.name, group.requests, group.failures, group.input_tokens, group.output_tokens, group.total_tokens]),
  );
  const from = new Date(history.times[0] ?? Date.now()).toISOString();
  const to = new Date((history.times.at(-1) ?? Date.now()) + history.step_ms).toISOString();
  download(
    `nachos-usage-${history.range}-${from.slice(0, 16).replace(':', '')}.csv`,
    toCsv(['dimension', 'name', 'requests', 'failures', 'input_tokens', 'output_tokens', 'total_tokens', 'from', 'to'], rows.map((row) => [...row, from, to])),
  );
}
