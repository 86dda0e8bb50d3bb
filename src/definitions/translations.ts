/**
 * Russian and English for the texts a user sees of a diagram, kept beside the diagrams in
 * `processes/i18n/<process key>.json` (format in processes/README.md, "Translations"). The Kazakh text in
 * the diagram is the legal one; a translation applies only to the Kazakh text it was made from (the file
 * repeats it), so a renamed element shows its new Kazakh name until someone translates it again.
 *
 * A translation file is not a diagram: it never stops a deployment. It is read when translations are
 * served, again whenever it changes on disk, and a broken file is an error naming the file and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../errors';
import { executableProcesses, formFieldsOf, is, lanesOf, list, allFlowElements } from './bpmn-utils';
import type { ModdleElement } from './parse';

export const TRANSLATED_LANGUAGES = ['ru', 'en'] as const;
export type TranslatedLanguage = (typeof TRANSLATED_LANGUAGES)[number];

/** One text of a diagram in the three languages; ru / en are absent when no current translation exists. */
export interface Names {
  kk: string;
  ru?: string;
  en?: string;
}

/** What a user sees of a diagram: the key of each text (see {@link textKey}) and its Kazakh wording. */
export interface VisibleText {
  key: string;
  kk: string;
  /** What the text names, for people editing the file: process, participant, lane, flow node, flow, field, option. */
  kind: 'process' | 'participant' | 'lane' | 'flowNode' | 'sequenceFlow' | 'formField' | 'option';
}

/**
 * Keys of the texts: an element's id (process, participant, lane, flow node, sequence flow);
 * `<element id>/<field id>` for a form field's label; `<element id>/<field id>/<option id>` for an
 * enum option's label.
 */
export function textKey(elementId: string, fieldId?: string, optionId?: string): string {
  return [elementId, fieldId, optionId].filter((part) => part !== undefined).join('/');
}

const trimmed = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Every user-visible text of one process of a diagram (its id is the process key), in document order. */
export function visibleTexts(definitions: ModdleElement, processKey: string): VisibleText[] {
  const process = executableProcesses(definitions).find((p) => p.id === processKey);
  if (!process) return [];
  const texts: VisibleText[] = [];
  const add = (key: string, text: unknown, kind: VisibleText['kind']) => {
    const kk = trimmed(text);
    if (kk !== undefined) texts.push({ key, kk, kind });
  };
  add(process.id, process.name, 'process');
  for (const collaboration of list(definitions.rootElements).filter((e) => is(e, 'bpmn:Collaboration'))) {
    for (const participant of list(collaboration.participants)) {
      if (participant.processRef === process || participant.processRef?.id === process.id) add(String(participant.id), participant.name, 'participant');
    }
  }
  for (const lane of lanesOf(process)) add(String(lane.id), lane.name, 'lane');
  for (const element of allFlowElements(process)) {
    const id = String(element.id);
    add(id, element.name, is(element, 'bpmn:SequenceFlow') ? 'sequenceFlow' : 'flowNode');
    for (const field of formFieldsOf(element)) {
      const fieldId = String(field.id);
      add(textKey(id, fieldId), field.label, 'formField');
      for (const option of list(field.values)) add(textKey(id, fieldId, String(option.id)), option.name, 'option');
    }
  }
  return texts;
}

const entrySchema = z.strictObject({
  kk: z.string().min(1, { error: 'must be the Kazakh text the translation was made from' }),
  ru: z.string().trim().min(1, { error: 'must be a non-empty Russian text' }),
  en: z.string().trim().min(1, { error: 'must be a non-empty English text' }),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  process: z.string().min(1, { error: 'must be the process key (the file name without .json)' }),
  texts: z.record(z.string(), entrySchema, { error: 'must be an object of texts by key' }),
});

export type TranslationFile = z.output<typeof fileSchema>;

/** Whitespace differences (a modeler's line breaks) do not make a translation stale. */
const sameText = (a: string, b: string) => a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();

/** Reads and checks one file's content; a problem names the file and the field (`texts.<key>.ru`). */
export function parseTranslationFile(content: string, file: string, processKey: string): TranslationFile {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw invalidTranslations(file, '', `is not JSON: ${(error as Error).message}`);
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.map(String).join('.');
    const message = issue.code === 'unrecognized_keys' ? `has an unknown field "${issue.keys.join('", "')}"` : issue.message;
    throw invalidTranslations(file, field, message);
  }
  if (result.data.process !== processKey) throw invalidTranslations(file, 'process', `says "${result.data.process}", the file is for "${processKey}"`);
  return result.data;
}

function invalidTranslations(file: string, field: string, message: string): DomainError {
  return new DomainError('internal', 'INVALID_TRANSLATIONS', `Translation file ${file}${field ? `, field ${field}` : ''}: ${message}`, { file, field });
}

/** The three-language names of a process's texts: Kazakh from the diagram, ru / en where the file has a current translation. */
export function translate(texts: VisibleText[], file: TranslationFile | null): Record<string, Names> {
  const result: Record<string, Names> = {};
  for (const text of texts) {
    const names: Names = { kk: text.kk };
    const entry = file?.texts[text.key];
    if (entry && sameText(entry.kk, text.kk)) {
      names.ru = entry.ru.trim();
      names.en = entry.en.trim();
    }
    result[text.key] = names;
  }
  return result;
}

/**
 * The translation files of a processes folder (`<dir>/i18n/<key>.json`), read on demand and read again
 * when a file changes on disk, so an edited translation shows without a restart or a deployment.
 */
export class TranslationFiles {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; file: TranslationFile }>();

  constructor(private readonly processesDir: string) {}

  /** Where the file of a process key lives (relative to the working directory when possible, for messages). */
  pathOf(processKey: string): string {
    return path.join(this.processesDir, 'i18n', `${processKey}.json`);
  }

  /** The file of a process key, or null when there is none; a broken file throws INVALID_TRANSLATIONS. */
  read(processKey: string): TranslationFile | null {
    if (!/^[A-Za-z0-9_.-]+$/.test(processKey) || processKey.startsWith('.')) return null;
    const full = this.pathOf(processKey);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      return null;
    }
    const cached = this.cache.get(processKey);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file;
    const shown = path.relative(process.cwd(), full) || full;
    const file = parseTranslationFile(fs.readFileSync(full, 'utf8'), shown, processKey);
    this.cache.set(processKey, { mtimeMs: stat.mtimeMs, size: stat.size, file });
    return file;
  }
}

/** What the translation service needs of the deployed definitions: one version's row and parse. */
export interface LoadsDefinitions {
  load(definitionId: string): Promise<{ row: { key: string }; moddleContext: { rootElement: unknown } }>;
}

/** The texts of a deployed version in three languages: the version's Kazakh, the file's current Russian and English. */
export class DiagramTranslations {
  private readonly texts = new Map<string, VisibleText[]>();

  constructor(
    private readonly definitions: LoadsDefinitions,
    readonly files: TranslationFiles,
  ) {}

  /** The element whose form is the process's start form (its fields' texts are keyed `<that id>/<field id>`). */
  async startFormElementId(definitionId: string): Promise<string | undefined> {
    const loaded = await this.definitions.load(definitionId);
    const process = executableProcesses(loaded.moddleContext.rootElement as ModdleElement).find((p) => p.id === loaded.row.key);
    const starts = list(process?.flowElements).filter((e) => is(e, 'bpmn:StartEvent'));
    return (starts.find((start) => formFieldsOf(start).length > 0) ?? starts[0])?.id;
  }

  async of(definitionId: string): Promise<Record<string, Names>> {
    const loaded = await this.definitions.load(definitionId);
    let texts = this.texts.get(definitionId);
    if (!texts) {
      // A version never changes: its visible texts are listed once.
      texts = visibleTexts(loaded.moddleContext.rootElement as ModdleElement, loaded.row.key);
      this.texts.set(definitionId, texts);
    }
    return translate(texts, this.files.read(loaded.row.key));
  }
}
