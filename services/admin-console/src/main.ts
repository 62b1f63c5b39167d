import './console.css';
import { forgetKey, storedKey, whenKeyRefused } from './api.js';
import { fill, h } from './dom.js';
import type { Page } from './page.js';
import { cooldownsPage } from './pages/cooldowns.js';
import { endpointsPage } from './pages/endpoints.js';
import { keysPage } from './pages/keys.js';
import { modelsPage } from './pages/models.js';
import { overviewPage } from './pages/overview.js';
import { usagePage } from './pages/usage.js';
import { signIn } from './sign-in.js';

const PAGES: readonly Page[] = [overviewPage, endpointsPage, modelsPage, cooldownsPage, usagePage, keysPage];

const root = document.body;
let stopPage: (() => void) | undefined;

/** Pages are chosen by the URL's fragment (`#/usage`), so the gateway serves one document for all of them. */
function pageOf(hash: string): Page {
  const path = hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.path === path) ?? (PAGES[0] as Page);
}

function show(): void {
  stopPage?.();
  stopPage = undefined;
  if (!storedKey()) return signIn(root, undefined, show);
  const page = pageOf(location.hash);
  document.title = `${page.title} · nachos admin`;
  const content = h('div', { class: 'page' });
  const nav = h(
    'nav',
    { attrs: { 'aria-label': 'Pages' } },
    ...PAGES.map((candidate) =>
      h('a', { attrs: { href: `#/${candidate.path}`, 'aria-current': candidate === page ? 'page' : undefined } }, candidate.title),
    ),
  );
  const signOut = h('button', { class: 'quiet', attrs: { type: 'button' }, on: { click: () => (forgetKey(), show()) } }, 'Sign out');
  const header = h('header', { class: 'top' }, h('a', { class: 'brand', attrs: { href: '#/overview' } }, 'nachos', h('span', {}, 'admin')), nav, signOut);
  fill(root, header, h('main', { attrs: { id: 'page', 'data-page': page.path } }, h('h1', {}, page.title), content));
  stopPage = page.render(content);
}

whenKeyRefused(() => {
  forgetKey();
  stopPage?.();
  stopPage = undefined;
  signIn(root, 'The gateway no longer accepts this admin key; sign in again.', show);
});
window.addEventListener('hashchange', show);
show();
