import './style.css';
import { session, setUnauthorizedHandler } from './api';
import { clear, h } from './dom';
import { type Lang, LANGS, lang, setLang, t } from './i18n';
import { captureInput, restoreInput } from './keep-input';
import { groupsWords } from './words';
import { flash, navigate, setRenderer, takeFlash } from './router';
import { notificationBadge } from './pages/notifications';
import { routes } from './routes';

let leave: (() => void) | void;
let renders = 0;

/** Another language redraws the page; what the user typed into its forms stays. */
async function switchLanguage(l: Lang) {
  const app = document.getElementById('app')!;
  const typed = captureInput(app);
  setLang(l);
  await render();
  restoreInput(app, typed);
}

function header() {
  const tx = t();
  const top = document.getElementById('top')!;
  const user = session.user;
  const link = (href: string, text: string, name: string) =>
    h('a', { href, 'data-nav': name, class: location.pathname.startsWith(href) ? 'active' : null }, text);
  const langSwitch = h(
    'div',
    { class: 'lang', role: 'group', 'aria-label': tx.language },
    ...LANGS.map((l) =>
      h('button', { type: 'button', 'data-lang': l, class: lang() === l ? 'active' : null, 'aria-pressed': String(lang() === l), onclick: () => void switchLanguage(l) }, ({ kk: 'ҚАЗ', ru: 'РУС', en: 'EN' } as const)[l]),
    ),
  );
  clear(
    top,
    h(
      'nav',
      {},
      h('a', { href: '/tasks', class: 'brand' }, tx.appName),
      user ? [link('/tasks', tx.tasks, 'tasks'), link('/instances', tx.cases, 'cases'), link('/start', tx.newApplication, 'start'), link('/catalog', tx.catalog, 'catalog'), session.isHead() ? link('/head', tx.head, 'head') : null, notificationBadge(tx.notifications)] : null,
      h('span', { class: 'spacer' }),
      langSwitch,
      user ? h('span', { class: 'who', 'data-user': user.id, title: user.groups.join(', ') }, `${user.name} · ${groupsWords(user.groups)}`) : null,
      user ? h('button', { type: 'button', 'data-action': 'sign-out', onclick: () => void signOut(t().signedOut) }, tx.signOut) : null,
    ),
  );
}

async function signOut(message: string) {
  await session.signOut().catch(() => undefined);
  flash(message);
  navigate('/signin');
}

function signInPage(root: HTMLElement) {
  const tx = t();
  const error = h('div', { class: 'form-error', role: 'alert', 'data-error-for': 'token', hidden: true });
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'signin', novalidate: true },
    h('h1', {}, tx.signInTitle),
    h('p', { class: 'hint' }, tx.tokenHint),
    h('label', { for: 'token' }, tx.token),
    input,
    error,
    h('button', { type: 'submit', class: 'primary' }, tx.signIn),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    error.hidden = true;
    if (!token) {
      error.hidden = false;
      error.textContent = tx.tokenRequired;
      return;
    }
    try {
      const me = await session.signIn(token);
      if (!me) {
        error.hidden = false;
        error.textContent = tx.wrongToken;
        input.select();
        return;
      }
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/tasks', true);
    } catch (err) {
      error.hidden = false;
      error.textContent = (err as Error).message;
    }
  });
  clear(root, form);
  input.focus();
}

async function render() {
  if (typeof leave === 'function') leave();
  leave = undefined;
  const root = document.getElementById('app')!;
  document.documentElement.lang = lang();
  header();
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const flashText = takeFlash();
  const notice = flashText ? h('div', { class: 'flash', role: 'status' }, flashText) : null;
  if (!session.user) {
    if (path !== '/signin') {
      history.replaceState(null, '', `/signin${path !== '/' ? `?next=${encodeURIComponent(location.pathname + location.search)}` : ''}`);
    }
    signInPage(root);
    if (notice) root.prepend(notice);
    return;
  }
  if (path === '/' || path === '/signin') {
    history.replaceState(null, '', '/tasks');
    return render();
  }
  for (const [pattern, names, page] of routes) {
    const m = pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
    // The page is in the document while it renders: the diagram viewer needs its size.
    const container = h('div', { class: 'page' }, h('p', { class: 'loading' }, t().loading));
    clear(root, notice, container);
    const rendering = ++renders;
    try {
      const cleanup = await page(container, params, new URLSearchParams(location.search));
      if (rendering !== renders) {
        if (typeof cleanup === 'function') cleanup();
        return;
      }
      leave = cleanup;
      container.setAttribute('data-ready', 'true');
    } catch (err) {
      // A page the user already left may fail late (a diagram viewer detached mid-import): it must not
      // replace the page that superseded it.
      if (rendering !== renders) return;
      clear(root, notice, h('div', { class: 'form-error', role: 'alert' }, `${t().error}: ${(err as Error).message}`));
    }
    return;
  }
  clear(root, h('p', {}, t().notFound));
}

setRenderer(render);
setUnauthorizedHandler(() => {
  if (!session.user) return;
  session.forget();
  flash(t().sessionExpired);
  // The sign-in page comes back here once the user has signed in again.
  navigate(location.pathname + location.search, true);
});

// In-app links navigate without reloading.
document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest?.('a');
  if (!a || a.target || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api') || href.startsWith('/engine-rest')) return;
  e.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', () => void render());
// The browser's session cookie, if any, says who is signed in (a task opened in a new tab needs no sign-in).
void session
  .restore()
  .catch(() => null)
  .then(() => render());
