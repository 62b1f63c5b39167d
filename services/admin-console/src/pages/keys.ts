import { api } from '../api.js';
import { fill, h, messageOf, notice, section, table, tag } from '../dom.js';
import { count } from '../format.js';
import { every, type Page } from '../page.js';
import type { KeyEntry } from '../types.js';

/**
 * Gateway keys by name (never their values), what they may use, and their use against their limits as the
 * limiter counts it (every replica's requests when Redis is shared).
 */
export const keysPage: Page = {
  path: 'keys',
  title: 'Keys',
  render(main) {
    const list = h('div');
    const problems = h('div');
    const open = h('div');
    fill(main, problems, open, section('Gateway keys', list));
    return every(10_000, async () => {
      try {
        const answer = await api<{ keys: KeyEntry[]; open: boolean }>('keys');
        fill(problems);
        fill(open, answer.open ? notice('No gateway key is configured: the gateway serves every caller without authentication.', 'error') : null);
        fill(
          list,
          table(
            [
              { label: 'Name', cell: (key) => h('strong', { class: 'name' }, key.name) },
              {
                label: 'Allowed models',
                cell: (key) => (key.models ? h('span', { class: 'models' }, ...key.models.map((model) => h('code', {}, model))) : tag('every model')),
              },
              { label: 'Requests this minute', cell: (key) => usage(key.use.requests_this_minute, key.limits.requests_per_minute), numeric: true },
              { label: 'Tokens this minute', cell: (key) => usage(key.use.tokens_this_minute, key.limits.tokens_per_minute), numeric: true },
              { label: 'Open requests', cell: (key) => (key.use.open_requests === null ? 'no limit' : usage(key.use.open_requests, key.limits.max_concurrent)), numeric: true },
              { label: 'Last hour', cell: (key) => `${count(key.use.requests_last_hour)} req, ${count(key.use.tokens_last_hour)} tokens`, numeric: true },
            ],
            answer.keys,
            'No gateway key is configured.',
            (key) => ({ 'data-key': key.name }),
          ),
        );
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    });
  },
};

/** Use against a limit, with a bar; a limit of 0 means none. */
function usage(used: number, limit: number): HTMLElement {
  if (!limit) return h('span', {}, `${count(used)} (no limit)`);
  const share = Math.min(1, used / limit);
  const meter = h('meter', { attrs: { min: 0, max: limit, value: Math.min(used, limit), low: limit * 0.7, high: limit * 0.9, optimum: 0 } });
  return h('span', { class: 'use' }, `${count(used)} / ${count(limit)}`, meter, share >= 1 ? tag('at limit', 'bad') : null);
}
