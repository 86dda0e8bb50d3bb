import express, { Request, Response, Router } from 'express';
import type { FormField } from '../../definitions/model';
import { DomainError } from '../../errors';
import { HostContext } from '../context';
import { CamundaError, camundaRefusal } from './camunda-error';
import { CAMUNDA_TYPES, defaultOf, readableCamundaTask } from './tasks';

/**
 * Camunda 7's generated forms: `GET /task/{id}/rendered-form` and
 * `GET /process-definition/{id}/rendered-form` (and `key/{key}/rendered-form`) answer the form of the
 * diagram's `camunda:formData` as XHTML. Clients do not show this HTML as it is; they read the
 * controls' annotations: Operaton's webapps-neo (frontend/src/components/TaskForm_helpers.js,
 * rendered_form_to_schema and rendered_form_variables) takes every `input`, `select` and `textarea`
 * with `cam-variable-name`, its `cam-variable-type`, `required`, the `<label>` before it (a trailing
 * `*` dropped), the `<option>`s of a select, and `value` / `checked` / `selected` as the current
 * values. A task without fields answers an empty form: the client then offers "complete" without
 * one, where a 404 would be an error.
 *
 * Labels and option names are in the language Accept-Language asks for among kk, ru and en (Kazakh,
 * the legal text of the diagram, when it asks for none of them or no translation is current).
 */

type Language = 'kk' | 'ru' | 'en';
type Texts = Record<string, { kk: string; ru?: string; en?: string }>;

const XHTML = 'application/xhtml+xml; charset=utf-8';

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function attributes(attrs: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(attrs)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => ` ${name}="${escapeXml(value === true ? name : String(value))}"`)
    .join('');
}

/** The language of the labels: the first of kk, ru, en the client accepts (by q-value); Kazakh otherwise. */
export function formLanguage(req: Request): Language {
  if (!req.headers['accept-language']) return 'kk';
  const chosen = req.acceptsLanguages('kk', 'ru', 'en');
  return chosen === 'ru' || chosen === 'en' ? chosen : 'kk';
}

/** What a form needs beyond its fields: the texts of its element, the current values, a group's members for a chooser. */
export interface FormContext {
  elementId: string;
  texts: Texts;
  language: Language;
  values: Record<string, unknown>;
  membersOf(group: string): { id: string; name: string }[];
}

/** The generated form of `fields` as Camunda renders it: one `.form-group` per field, label first. */
export function renderForm(fields: readonly FormField[], context: FormContext): string {
  const text = (key: string, fallback: string) => {
    const names = context.texts[key];
    return (names && (context.language === 'kk' ? names.kk : names[context.language])) ?? names?.kk ?? fallback;
  };
  const groups = fields.map((field) => {
    const name = field.id;
    const label = text(`${context.elementId}/${field.id}`, field.label ?? field.id);
    const value = field.id in context.values ? context.values[field.id] : defaultOf(field);
    const type = CAMUNDA_TYPES[field.type] ?? 'String';
    const common = { class: 'form-control', name, id: name, 'cam-variable-name': name, 'cam-variable-type': type, required: field.required };
    let control: string;
    const options = (choices: { id: string; label: string }[]) => {
      const selected = value === null || value === undefined ? undefined : String(value);
      const blank = selected === undefined || !choices.some((c) => c.id === selected) ? '<option value=""></option>' : '';
      return blank + choices.map((c) => `<option${attributes({ value: c.id, selected: c.id === selected })}>${escapeXml(c.label)}</option>`).join('');
    };
    if (field.type === 'enum') {
      const choices = (field.values ?? []).map((v) => ({ id: v.id, label: text(`${context.elementId}/${field.id}/${v.id}`, v.name ?? v.id) }));
      control = `<select${attributes(common)}>${options(choices)}</select>`;
    } else if (field.choices) {
      const choices = context.membersOf(field.choices.usersOfGroup).map((u) => ({ id: u.id, label: u.name }));
      control = `<select${attributes(common)}>${options(choices)}</select>`;
    } else if (field.type === 'boolean') {
      control = `<input${attributes({ ...common, type: 'checkbox', checked: value === true })} />`;
    } else if (field.type === 'long') {
      control = `<input${attributes({ ...common, type: 'number', step: 1, min: field.min, max: field.max, value: typeof value === 'number' ? value : undefined })} />`;
    } else if (field.type === 'date') {
      const day = typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value.slice(0, 10) : undefined;
      control = `<input${attributes({ ...common, type: 'date', value: day })} />`;
    } else if (field.multiline) {
      control = `<textarea${attributes({ ...common, minlength: field.minlength, maxlength: field.maxlength })}>${typeof value === 'string' ? escapeXml(value) : ''}</textarea>`;
    } else {
      control = `<input${attributes({ ...common, type: 'text', minlength: field.minlength, maxlength: field.maxlength, value: typeof value === 'string' ? value : undefined })} />`;
    }
    const marker = field.required ? ' <span class="required" aria-hidden="true">*</span>' : '';
    return `  <div class="form-group">\n    <label for="${escapeXml(name)}">${escapeXml(label)}${marker}</label>\n    ${control}\n  </div>\n`;
  });
  return `<form name="generatedForm" role="form">\n${groups.join('')}</form>\n`;
}

export function engineRenderedFormRoutes(host: HostContext): Router {
  const router = express.Router();

  /** A version's texts in three languages; a broken translation file leaves the form in Kazakh (the translations route names the fault). */
  async function textsOf(definitionId: string): Promise<Texts> {
    try {
      return await host.translations.of(definitionId);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_TRANSLATIONS') return {};
      throw error;
    }
  }

  const membersOf = (group: string) => host.users.members(group).map((u) => ({ id: u.id, name: u.name }));

  function send(req: Request, res: Response, language: Language, html: string) {
    res.setHeader('Vary', 'Accept-Language');
    res.setHeader('Content-Language', language);
    res.type(XHTML).send(html);
  }

  router.get('/task/:id/rendered-form', async (req, res) => {
    const { task } = await readableCamundaTask(host, req.user!, req.params.id as string);
    const fields = (await host.definitions.load(task.definitionId)).model.userTasks.get(task.taskDefinitionKey)?.formFields ?? [];
    const instance = await host.store.instance(task.processInstanceId);
    const values = instance ? (JSON.parse(instance.variables) as Record<string, unknown>) : {};
    const language = formLanguage(req);
    send(req, res, language, renderForm(fields, { elementId: task.taskDefinitionKey, texts: await textsOf(task.definitionId), language, values, membersOf }));
  });

  async function startForm(req: Request, res: Response, definitionId: string) {
    const fields = (await host.definitions.load(definitionId)).model.startFormFields;
    const elementId = (await host.translations.startFormElementId(definitionId)) ?? '';
    const language = formLanguage(req);
    send(req, res, language, renderForm(fields, { elementId, texts: await textsOf(definitionId), language, values: {}, membersOf }));
  }

  // By key: the version in force today, the one a start by key uses (as /api's start form).
  router.get('/process-definition/key/:key/rendered-form', async (req, res) => {
    let definitionId: string;
    try {
      definitionId = (await host.definitions.inForce(req.params.key as string, host.clock.now())).id;
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not-found') throw new CamundaError(404, 'InvalidRequestException', `No matching process definition with key: ${req.params.key} and no tenant-id`);
      throw camundaRefusal(error);
    }
    await startForm(req, res, definitionId);
  });

  router.get('/process-definition/:id/rendered-form', async (req, res) => {
    const row = await host.store.definition(req.params.id as string);
    if (!row) throw new CamundaError(404, 'InvalidRequestException', `No matching definition with id ${req.params.id}`);
    await startForm(req, res, row.id);
  });

  return router;
}
