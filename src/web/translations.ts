/**
 * The diagrams' texts (reglament titles, step names, form labels and options) in the interface language,
 * from the translations the server keeps beside the diagrams (processes/i18n). The Kazakh text is the
 * legal one: a translated text carries it as its title, and a page in Russian or English says it shows a
 * translation. Where no translation exists the Kazakh text is shown.
 */
import { api, type FormField } from './api';
import type { DiagramTranslations, Names } from '../api/schemas/resources';
import { h } from './dom';
import { lang, t } from './i18n';

export type { Names };

/** The texts of one deployed version by key (element id, `<element>/<field>`, `<element>/<field>/<option>`). */
export interface DiagramTexts {
  texts: Record<string, Names>;
  startFormElementId?: string;
}

const EMPTY: DiagramTexts = { texts: {} };
const cache = new Map<string, Promise<DiagramTexts>>();

/**
 * The texts of a version, fetched once per page load. A definition id is `key:version`; a bare key means
 * the latest version. A failure leaves the page in Kazakh rather than breaking it.
 */
export function diagramTexts(definitionIdOrKey: string): Promise<DiagramTexts> {
  let pending = cache.get(definitionIdOrKey);
  if (!pending) {
    const m = /^(.+):(\d+)$/.exec(definitionIdOrKey);
    const key = m ? m[1] : definitionIdOrKey;
    const query = m ? `?version=${m[2]}` : '';
    pending = api<DiagramTranslations>(`/process-definitions/${encodeURIComponent(key)}/translations${query}`).then(
      (answer) => ({ texts: answer.texts, startFormElementId: answer.startFormElementId }),
      () => {
        cache.delete(definitionIdOrKey);
        return EMPTY;
      },
    );
    cache.set(definitionIdOrKey, pending);
  }
  return pending;
}

/** The texts of several versions (a task list spans reglaments), by the id each was asked with. */
export async function textsOfAll(ids: Iterable<string>): Promise<Map<string, DiagramTexts>> {
  const unique = [...new Set(ids)];
  const all = await Promise.all(unique.map((id) => diagramTexts(id)));
  return new Map(unique.map((id, i) => [id, all[i]]));
}

/** The text in the interface language, else the Kazakh text, else the fallback. */
export function say(names: Names | undefined, fallback: string): string {
  const current = lang();
  return (current === 'kk' ? names?.kk : names?.[current]) ?? names?.kk ?? fallback;
}

/** Whether what {@link say} shows is a translation (and not the legal Kazakh text). */
export function isTranslation(names: Names | undefined): boolean {
  const current = lang();
  return current !== 'kk' && !!names?.[current];
}

/** The Kazakh original as a tooltip: "Kazakh original: ...". */
export function originalTitle(names: Names | undefined): string | null {
  return isTranslation(names) ? `${t().kazakhOriginal}: ${names!.kk}` : null;
}

/** A diagram text as an element: the text in the interface language, the Kazakh original as its title. */
export function named(names: Names | undefined, fallback: string): HTMLElement {
  const translated = isTranslation(names);
  return h('span', { class: translated ? 'translated' : null, title: originalTitle(names), lang: translated ? lang() : 'kk', 'data-kk': names?.kk ?? null }, say(names, fallback));
}

/** In Russian or English: the note that names of reglaments, steps and fields are translations. */
export function translationNote(): HTMLElement | null {
  return lang() === 'kk' ? null : h('p', { class: 'translation-note', 'data-note': 'translation', role: 'note' }, t().translationNote);
}

/** A form field with its label and option names in the interface language, and their Kazakh originals. */
export interface LocalizedField extends FormField {
  original?: { label?: string; values: Record<string, string> };
}

/** The fields of an element's form (a user task, or the start event) with their texts translated. */
export function localizeFields(fields: FormField[], texts: DiagramTexts, elementId: string | undefined): LocalizedField[] {
  if (!elementId) return fields;
  return fields.map((field) => {
    const label = texts.texts[`${elementId}/${field.id}`];
    const original: LocalizedField['original'] = { label: originalTitle(label) ?? undefined, values: {} };
    const values = field.values?.map((option) => {
      const names = texts.texts[`${elementId}/${field.id}/${option.id}`];
      const title = originalTitle(names);
      if (title) original.values[option.id] = title;
      return { ...option, name: say(names, option.name ?? option.id) };
    });
    return { ...field, label: say(label, field.label ?? field.id), ...(values ? { values } : {}), original };
  });
}

/**
 * The diagram's XML with its names in the interface language, for a viewer of a case or of the head's
 * figures (the catalog shows the diagram as deployed: it is where the Kazakh wording is read).
 */
export function translatedDiagram(xml: string, texts: DiagramTexts): string {
  if (lang() === 'kk' || Object.keys(texts.texts).length === 0) return xml;
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const id = el.getAttribute('id');
    const names = id ? texts.texts[id] : undefined;
    if (names && el.hasAttribute('name') && isTranslation(names)) el.setAttribute('name', say(names, el.getAttribute('name') ?? ''));
  }
  return new XMLSerializer().serializeToString(doc);
}
