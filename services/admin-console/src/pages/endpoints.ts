import { api } from '../api.js';
import { fill, h, messageOf, notice, section, table, tag, type Column } from '../dom.js';
import { count } from '../format.js';
import { every, type Page } from '../page.js';
import type { Endpoint } from '../types.js';

const SOURCE_KIND: Readonly<Record<string, string>> = { config: '', env: '', admin: 'accent', 'auto-discovery': 'warn' };

/** Every endpoint from every source, and the form that adds, edits or removes run-time (`admin`) ones. */
export const endpointsPage: Page = {
  path: 'endpoints',
  title: 'Endpoints',
  render(main) {
    const list = h('div');
    const problems = h('div');
    // What the operator's last action did; kept when the list refreshes.
    const said = h('div');
    const editor = endpointForm(() => void refresh());
    fill(main, problems, said, section('Endpoints', list), editor.element);

    const refresh = async () => {
      try {
        const { endpoints } = await api<{ endpoints: Endpoint[] }>('endpoints');
        fill(problems);
        fill(list, table(columns(editor.edit, remove), endpoints, 'No endpoint is configured.', (endpoint) => ({ 'data-endpoint': endpoint.id })));
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    };
    const remove = async (endpoint: Endpoint) => {
      if (!confirm(`Remove the endpoint "${endpoint.id}"? Clients using only its models will get 404.`)) return;
      try {
        await api(`registry/${encodeURIComponent(endpoint.id)}`, { method: 'DELETE' });
        fill(said, notice(`Removed "${endpoint.id}".`, 'ok'));
      } catch (error) {
        fill(said, notice(messageOf(error), 'error'));
      }
      await refresh();
    };
    return every(10_000, refresh);
  },
};

function columns(edit: (endpoint: Endpoint) => void, remove: (endpoint: Endpoint) => void): Column<Endpoint>[] {
  return [
    { label: 'Endpoint', cell: (endpoint) => h('strong', { class: 'name' }, endpoint.id) },
    { label: 'Source', cell: (endpoint) => tag(endpoint.source, SOURCE_KIND[endpoint.source] ?? '') },
    { label: 'Provider', cell: (endpoint) => endpoint.provider },
    { label: 'Base URL', cell: (endpoint) => h('code', { class: 'wrap' }, endpoint.base_url) },
    {
      label: 'Models',
      cell: (endpoint) =>
        endpoint.models.length === 0
          ? h('span', { class: 'muted' }, 'whatever it lists')
          : h('span', { class: 'models' }, ...endpoint.models.map((model) => h('code', {}, model))),
    },
    { label: 'Weight', cell: (endpoint) => String(endpoint.weight), numeric: true },
    { label: 'Limits', cell: (endpoint) => limits(endpoint.rate_limit) },
    {
      label: 'Connections',
      cell: (endpoint) => h('span', { attrs: { title: 'Keep-alive connections to its origin from the llm-proxy replica that answered' } }, `${count(endpoint.connections.open)} open, ${count(endpoint.connections.busy)} busy`),
      numeric: true,
    },
    {
      label: 'Health',
      cell: (endpoint) =>
        endpoint.health.status === 'ok'
          ? tag('ok', 'good')
          : [tag(`${endpoint.health.cooldowns} cooling down`, 'bad'), h('span', { class: 'muted block' }, endpoint.health.reasons.join('; '))],
    },
    { label: 'Key', cell: (endpoint) => (endpoint.has_key ? 'set' : 'none') },
    {
      label: '',
      cell: (endpoint) =>
        endpoint.source === 'admin'
          ? h(
              'span',
              { class: 'actions' },
              h('button', { attrs: { type: 'button' }, on: { click: () => edit(endpoint) } }, 'Edit'),
              h('button', { class: 'danger', attrs: { type: 'button' }, on: { click: () => remove(endpoint) } }, 'Remove'),
            )
          : h('span', { class: 'muted' }, 'read-only'),
    },
  ];
}

/** An endpoint's own per-minute limits, whatever its source. */
function limits(rateLimit: Endpoint['rate_limit']): string {
  const parts = [rateLimit.rpm === undefined ? '' : `${count(rateLimit.rpm)} rpm`, rateLimit.tpm === undefined ? '' : `${count(rateLimit.tpm)} tpm`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no limit';
}

/** Add or replace a run-time endpoint; llm-proxy's checks (URL policy, id clashes, plugin) answer inline. */
function endpointForm(saved: () => void): { element: HTMLElement; edit: (endpoint: Endpoint) => void } {
  const field = (label: string, input: HTMLInputElement, hint?: string) =>
    h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
  const id = h('input', { attrs: { name: 'id', required: true, autocomplete: 'off', spellcheck: 'false' } });
  const provider = h('input', { attrs: { name: 'provider', placeholder: 'openai-compatible', autocomplete: 'off', spellcheck: 'false' } });
  const baseUrl = h('input', { attrs: { name: 'base_url', type: 'url', required: true, placeholder: 'http://gpu-box:8000/v1', spellcheck: 'false' } });
  const key = h('input', { attrs: { name: 'api_key', type: 'password', autocomplete: 'new-password' } });
  const models = h('input', { attrs: { name: 'models', placeholder: 'comma-separated; empty: what it lists', spellcheck: 'false' } });
  const weight = h('input', { attrs: { name: 'weight', type: 'number', min: 0, step: 'any', placeholder: '1' } });
  const rpm = h('input', { attrs: { name: 'rpm', type: 'number', min: 1, step: 1, placeholder: 'no limit' } });
  const tpm = h('input', { attrs: { name: 'tpm', type: 'number', min: 1, step: 1, placeholder: 'no limit' } });
  const result = h('div', { attrs: { 'aria-live': 'polite' } });
  const heading = h('h2', {}, 'Add an endpoint');
  const form = h(
    'form',
    { class: 'form-grid', attrs: { novalidate: true } },
    field('Id', id),
    field('Provider (plugin)', provider),
    field('Base URL', baseUrl),
    field('API key', key, 'Write-only: never shown again. Leave empty for none; re-enter it when editing.'),
    field('Models', models),
    field('Weight', weight),
    field('Requests per minute', rpm),
    field('Tokens per minute', tpm),
    h('div', { class: 'form-actions' }, h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Save endpoint'), h('button', { attrs: { type: 'reset' } }, 'Clear')),
  );
  form.addEventListener('reset', () => {
    heading.textContent = 'Add an endpoint';
    id.readOnly = false;
    fill(result);
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: Record<string, unknown> = { id: id.value.trim(), base_url: baseUrl.value.trim() };
    if (provider.value.trim()) body.provider = provider.value.trim();
    if (key.value) body.api_key = key.value;
    if (models.value.trim()) body.models = models.value;
    if (weight.value.trim()) body.weight = Number(weight.value);
    const rateLimit: Record<string, number> = {};
    if (rpm.value.trim()) rateLimit.rpm = Number(rpm.value);
    if (tpm.value.trim()) rateLimit.tpm = Number(tpm.value);
    if (Object.keys(rateLimit).length > 0) body.rate_limit = rateLimit;
    try {
      const saved_ = await api<{ endpoint: Endpoint }>('registry', { method: 'POST', body });
      key.value = '';
      fill(result, notice(`Saved "${saved_.endpoint.id}": every llm-proxy replica serves it within a moment.`, 'ok'));
      saved();
    } catch (error) {
      fill(result, notice(messageOf(error), 'error'));
    }
  });
  return {
    element: h('section', { class: 'card', attrs: { id: 'endpoint-form' } }, heading, form, result),
    edit(endpoint) {
      heading.textContent = `Edit "${endpoint.id}"`;
      id.value = endpoint.id;
      id.readOnly = true;
      provider.value = endpoint.provider;
      baseUrl.value = endpoint.base_url;
      key.value = '';
      models.value = endpoint.explicit_models ? endpoint.models.join(', ') : '';
      weight.value = String(endpoint.weight);
      rpm.value = endpoint.rate_limit.rpm === undefined ? '' : String(endpoint.rate_limit.rpm);
      tpm.value = endpoint.rate_limit.tpm === undefined ? '' : String(endpoint.rate_limit.tpm);
      fill(result);
      form.scrollIntoView({ behavior: 'smooth' });
      id.focus();
    },
  };
}
