import { api } from '../api.js';
import { fill, h, messageOf, notice, section, table, tag } from '../dom.js';
import { count } from '../format.js';
import { every, type Page } from '../page.js';
import type { ModelEntry, ModelRoute, Resolution } from '../types.js';

/** Every name a client can use, where it routes, and a box that explains how one name resolves. */
export const modelsPage: Page = {
  path: 'models',
  title: 'Models',
  render(main) {
    const list = h('div');
    const problems = h('div');
    const filter = h('input', { attrs: { type: 'search', placeholder: 'Filter names', 'aria-label': 'Filter models', spellcheck: 'false' } });
    let models: ModelEntry[] = [];
    const draw = () => {
      const needle = filter.value.trim().toLowerCase();
      const shown = needle ? models.filter((model) => model.name.toLowerCase().includes(needle) || model.routes.some((route) => route.endpoint.toLowerCase().includes(needle))) : models;
      fill(
        list,
        table(
          [
            { label: 'Name', cell: (model) => [h('code', { class: 'name' }, model.name), model.kind === 'model' ? null : tag(model.kind === 'rename' ? `→ ${model.target ?? ''}` : `default → ${model.target ?? ''}`, 'accent')] },
            { label: 'Endpoints', cell: (model) => routes(model.routes) },
            { label: 'Fallbacks', cell: (model) => (model.fallbacks.length ? h('span', { class: 'models' }, ...model.fallbacks.map((name) => h('code', {}, name))) : '—') },
            { label: 'Capabilities', cell: (model) => capabilities(model.capabilities) },
            { label: 'Context', cell: (model) => count(model.context_length), numeric: true },
          ],
          shown,
          needle ? 'No model matches.' : 'No model is served.',
          (model) => ({ 'data-model': model.name }),
        ),
      );
    };
    filter.addEventListener('input', draw);
    fill(main, problems, resolveBox(), section('Models', h('div', { class: 'toolbar' }, filter), list));
    return every(15_000, async () => {
      try {
        models = (await api<{ models: ModelEntry[] }>('models')).models;
        fill(problems);
        draw();
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    });
  },
};

function routes(list: readonly ModelRoute[]): HTMLElement | string {
  if (list.length === 0) return '—';
  return h(
    'ul',
    { class: 'plain' },
    ...list.map((route) => h('li', {}, h('strong', {}, route.endpoint), ` (${route.provider}) `, h('code', { class: 'muted' }, route.upstream_id))),
  );
}

function capabilities(flags: Record<string, boolean>): HTMLElement | string {
  const on = Object.entries(flags).filter(([, value]) => value);
  return on.length ? h('span', { class: 'models' }, ...on.map(([name]) => tag(name))) : '—';
}

function resolveBox(): HTMLElement {
  const input = h('input', { attrs: { name: 'model', placeholder: 'a model name, e.g. gpt-4o or openai/gpt-4o-mini', spellcheck: 'false', 'aria-label': 'Model name' } });
  const answer = h('div', { class: 'resolution', attrs: { 'aria-live': 'polite' } });
  const form = h('form', { class: 'inline-form' }, input, h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Resolve'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const resolution = await api<Resolution>(`models/resolve?model=${encodeURIComponent(input.value.trim())}`);
      fill(
        answer,
        h('ol', { class: 'steps' }, ...resolution.steps.map((step) => h('li', {}, step))),
        resolution.found ? h('p', {}, 'Tried in this order: ', routes(resolution.routes)) : notice('A client asking for this name gets 404, with no upstream call.', 'error'),
        resolution.fallbacks.length ? h('p', {}, 'Then its fallbacks: ', h('span', { class: 'models' }, ...resolution.fallbacks.map((name) => h('code', {}, name)))) : null,
      );
    } catch (error) {
      fill(answer, notice(messageOf(error), 'error'));
    }
  });
  return section('Resolve a name', h('p', { class: 'muted' }, 'How a request naming this model is routed.'), form, answer);
}
