import { api } from '../api.js';
import { fill, h, messageOf, notice, section, table } from '../dom.js';
import { clock, timeLeft } from '../format.js';
import { every, type Page } from '../page.js';
import type { Cooldown } from '../types.js';

/** The keys (and key–model pairs) out of rotation, why, and for how long; live, and clearable by hand. */
export const cooldownsPage: Page = {
  path: 'cooldowns',
  title: 'Cooldowns',
  render(main) {
    const list = h('div');
    const problems = h('div');
    // What the operator's last action did; kept when the list refreshes.
    const said = h('div');
    const state = h('p', { class: 'muted' });
    let fetchedAt = 0;
    let cooldowns: Cooldown[] = [];
    fill(main, problems, said, section('Cooldowns', state, list));

    const draw = () => {
      const elapsed = Date.now() - fetchedAt;
      const live = cooldowns.filter((cooldown) => cooldown.remaining_ms - elapsed > 0);
      fill(
        list,
        table(
          [
            { label: 'Endpoint', cell: (cooldown) => h('strong', {}, partsOf(cooldown.key).endpoint) },
            { label: 'Key profile', cell: (cooldown) => partsOf(cooldown.key).profile },
            { label: 'Model', cell: (cooldown) => partsOf(cooldown.key).model ?? h('span', { class: 'muted' }, 'every model') },
            { label: 'Reason', cell: (cooldown) => cooldown.reason },
            { label: 'Time left', cell: (cooldown) => h('span', { class: 'time-left' }, timeLeft(cooldown.remaining_ms - elapsed)), numeric: true },
            { label: 'Until', cell: (cooldown) => clock(cooldown.until) },
            { label: '', cell: (cooldown) => h('button', { attrs: { type: 'button' }, on: { click: () => void clear(cooldown) } }, 'Clear') },
          ],
          live,
          'No key is cooling down: every configured key is in rotation.',
          (cooldown) => ({ 'data-cooldown': cooldown.key }),
        ),
      );
    };
    const refresh = async () => {
      try {
        const answer = await api<{ cooldowns: Cooldown[]; state: string }>('cooldowns');
        cooldowns = answer.cooldowns;
        fetchedAt = Date.now();
        state.textContent = answer.state === 'redis' ? 'Shared by every llm-proxy replica through Redis.' : `Cooldown state: ${answer.state}.`;
        fill(problems);
        draw();
      } catch (error) {
        fill(problems, notice(messageOf(error), 'error'));
      }
    };
    const clear = async (cooldown: Cooldown) => {
      try {
        await api(`cooldowns/${encodeURIComponent(cooldown.key)}`, { method: 'DELETE' });
        fill(said, notice(`Cleared: ${cooldown.key} is back in rotation.`, 'ok'));
      } catch (error) {
        fill(said, notice(messageOf(error), 'error'));
      }
      await refresh();
    };
    const stopRefresh = every(3_000, refresh);
    const ticker = setInterval(draw, 1_000);
    return () => {
      stopRefresh();
      clearInterval(ticker);
    };
  },
};

/** Cooldown keys are `<endpoint>/<key profile>` or `<endpoint>/<key profile>/<model>` (a model may hold slashes). */
function partsOf(key: string): { endpoint: string; profile: string; model: string | undefined } {
  const [endpoint = key, profile = '', ...model] = key.split('/');
  return { endpoint, profile, model: model.length ? model.join('/') : undefined };
}
