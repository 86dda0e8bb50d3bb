import type { Definition } from './api';
import { h } from './dom';
import { lang, t } from './i18n';
import type { CiteTerm } from './i18n/kk';

export type Act = NonNullable<Definition['act']>;

const LOCALES = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' } as const;

/** An act's date (a calendar day, no zone) in the interface language: "5 Aug 2014", "5 авг. 2014 г.". */
export function actDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(LOCALES[lang()], { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

function body(act: Act): string {
  const l = lang();
  return (l === 'ru' ? act.bodyRu : l === 'en' ? act.bodyEn : undefined) ?? act.body;
}

/** "Akimat of Astana resolution No 102-1249 of 5 Aug 2014, annex" in the interface language (the body as the act names it in Kazakh when no translation is given). */
export function citeAct(act: Act): string {
  const tx = t();
  const main = tx.citeAct(body(act), tx.actKinds[act.kind], act.number, actDate(act.date));
  const annex = act.annex === 'only' ? tx.citeTerm('annex', '') : act.annex === 'none' ? '' : tx.citeTerm('annex', act.annex);
  return annex ? `${main}, ${annex}` : main;
}

/** Status of the act: in force, or repealed by which act. */
export function actStatus(act: Act): string {
  const tx = t();
  if (act.status !== 'repealed' || !act.repealedBy) return tx.actInForce;
  const ref = act.repealedBy;
  return tx.actRepealedBy(tx.citeAct('', tx.actKinds[ref.kind], ref.number, actDate(ref.date)).replace(/^[,\s]+/, ''));
}

const TERMS: [RegExp, CiteTerm][] = [
  [/^pt\.$/i, 'pt'],
  [/^para$/i, 'pt'],
  [/^steps?$/i, 'step'],
  [/^items?$/i, 'item'],
  [/^annex$/i, 'annex'],
  [/^diagram No$/i, 'diagram'],
  [/^process(?:es)?$/i, 'process'],
  [/^conditions?$/i, 'condition'],
  [/^actions?$/i, 'action'],
  [/^section$/i, 'section'],
];

/** "pt. 5 step 1" in the interface language ("5-тармақ 1-қадам", "п. 5 шаг 1"); words it does not know stay as written. */
export function localizeLocator(locator: string): string {
  const tx = t();
  return locator.replace(/\b(pt\.|para|steps?|items?|Annex|diagram No|process(?:es)?|conditions?|actions?|section)\s+(\d+(?:\s*(?:-|–|and)\s*\d+)?)/gi, (whole, word: string, number: string) => {
    const term = TERMS.find(([pattern]) => pattern.test(word))?.[1];
    return term ? tx.citeTerm(term, number.replace(/\s*and\s*/, ', ').replace(/\s*[-–]\s*/, '–')) : whole;
  });
}

/**
 * An element's legal source ("Source: <seed>, pt. 5 step 1, lines 74-80." of its documentation) split
 * into where in the act (`locator`) and the file-and-lines detail.
 */
export function splitSource(source: string | undefined): { locator?: string; detail?: string } {
  if (!source) return {};
  const detail = source.trim().replace(/\.$/, '');
  const seed = /^\S+\.txt,?\s*/.exec(detail);
  const rest = seed ? detail.slice(seed[0].length) : detail;
  const lines = /(?:^|[,;]\s*)lines?\s+\d/.exec(rest);
  const locator = (lines ? rest.slice(0, lines.index) : rest).replace(/[,;\s]+$/, '').trim();
  return { locator: locator || undefined, detail };
}

/** The citation an analyst reads: the act (when the reglament names one) and where in it, plus the seed file and lines. */
export function citation(act: Act | undefined, source: string | undefined): { main?: string; detail?: string } {
  const { locator, detail } = splitSource(source);
  const parts = [act ? citeAct(act) : undefined, locator ? localizeLocator(locator) : undefined].filter((part): part is string => !!part);
  return { main: parts.length ? parts.join(', ') : undefined, detail };
}

/** The citation as shown: the act and place first, the seed file and lines after it, smaller. */
export function citationNode(act: Act | undefined, source: string | undefined): HTMLElement | null {
  const { main, detail } = citation(act, source);
  if (!main && !detail) return null;
  return h(
    'span',
    { class: 'citation' },
    main ? h('span', { 'data-citation': 'act' }, main) : null,
    detail ? h('span', { class: 'source-detail muted', 'data-citation': 'file', title: t().actSourceFile }, main ? ` (${detail})` : detail) : null,
  );
}
