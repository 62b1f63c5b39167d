import { api, ApiError, rememberKey } from './api.js';
import { fill, h, messageOf, notice } from './dom.js';

/** The sign-in form: the key is checked against the gateway before it is kept for this tab. */
export function signIn(root: HTMLElement, reason: string | undefined, signedIn: () => void): void {
  const key = h('input', { attrs: { id: 'admin-key', name: 'admin-key', type: 'password', autocomplete: 'current-password', required: true } });
  const result = h('div', { attrs: { 'aria-live': 'polite' } }, reason ? notice(reason, 'error') : null);
  const form = h(
    'form',
    { class: 'sign-in card' },
    h('h1', {}, 'nachos admin'),
    h('label', { class: 'field', attrs: { for: 'admin-key' } }, h('span', {}, 'Admin key (NACHOS_ADMIN_KEY)'), key),
    h('button', { class: 'primary', attrs: { type: 'submit' } }, 'Sign in'),
    result,
    h('p', { class: 'muted' }, 'The key is kept in this tab only, and sent to the gateway in a header.'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('status', { key: key.value });
      rememberKey(key.value);
      signedIn();
    } catch (error) {
      const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
      fill(result, notice(refused ? `Refused: ${error.message}` : messageOf(error), 'error'));
      key.select();
    }
  });
  fill(root, h('main', { class: 'centered' }, form));
  key.focus();
}
