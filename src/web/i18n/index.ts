/**
 * Interface text in Kazakh, Russian and English. Each dictionary is typed against the Kazakh one, so a key
 * missing from any language fails the build. Element names stay as the diagram writes them.
 */
import { en } from './en';
import { kk, type Texts } from './kk';
import { ru } from './ru';

export type { Texts };
export type Lang = 'kk' | 'ru' | 'en';
export const LANGS: readonly Lang[] = ['kk', 'ru', 'en'];

const LANG_KEY = 'reglament.lang';
const texts: Record<Lang, Texts> = { kk, ru, en };
const locales: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

export function lang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'ru' ? stored : 'kk';
}

export function setLang(value: Lang) {
  localStorage.setItem(LANG_KEY, value);
  document.documentElement.lang = value;
}

export function t(): Texts {
  return texts[lang()];
}

/** A civil date ("YYYY-MM-DD", e.g. the day a version comes into force) in the interface language. */
export function formatDate(civil: string): string {
  return new Date(`${civil}T00:00:00Z`).toLocaleDateString(locales[lang()], { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Date and time in the interface language, always in Almaty time (the users' zone, whatever the browser's). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(locales[lang()], {
    timeZone: 'Asia/Almaty', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}
