import { z } from 'zod';
import { DomainError } from '../../errors';
import { startRefusal } from '../../identity/access';
import { User } from '../../identity/users';
import type { FormField } from '../../definitions/model';
import type { DefinitionRow } from '../../persistence/api-store';
import { formJsonSchema } from '../../runtime/form-schema';
import { HostContext } from '../context';
import { presentDefinition, presentInstance } from '../presenters';
import { ApiRoute, route } from '../route-table';
import { flag, wholeNumber } from '../schemas/query';
import { DiagramTranslationsSchema, InForceSchema, ProcessDefinitionDetailSchema, ProcessDefinitionSchema, StartedInstanceSchema, VariableCatalogue, VariableCatalogueSchema } from '../schemas/resources';

const keyParam = z.object({ key: z.string().meta({ description: 'Process key' }) });

const startBody = z.object(
  {
    businessKey: z
      .string({ error: '"{path}" must be a string of at most 255 characters' })
      .max(255, { error: '"{path}" must be a string of at most 255 characters' })
      .nullable()
      .optional(),
    variables: z.unknown().optional().meta({ type: 'object', additionalProperties: true, description: 'Values of the start form\'s fields, checked against its JSON Schema (startFormSchema); only declared fields' }),
  },
  { error: 'The body must be a JSON object { businessKey?, variables? }' },
);

const idempotencyKey = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1-255 visible ASCII characters (a UUID, say)' })
    .optional()
    .meta({ description: 'A client-chosen key (a UUID, say) naming this one start request' }),
});

export function definitionRoutes(host: HostContext): ApiRoute[] {
  /** The definition plus whether the caller may start it and, if not, the refusal a start would get. */
  async function presentForCaller(row: DefinitionRow, user: User) {
    const { model } = await host.definitions.load(row.id);
    const refusal = startRefusal(model, user);
    return { ...presentDefinition(row), ...(model.act ? { act: model.act } : {}), startable: refusal === null, ...(refusal ? { startRefusal: { code: refusal.code, message: refusal.message } } : {}), names: await titleNames(row) };
  }

  /** The title in three languages; a broken translation file leaves the list in Kazakh (its own route names the fault). */
  async function titleNames(row: DefinitionRow) {
    try {
      return (await host.translations.of(row.id))[row.key];
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_TRANSLATIONS') return row.name ? { kk: row.name } : undefined;
      throw error;
    }
  }

  /** The texts of a version, or none when its translation file is broken (the translations route names the fault). */
  async function textsOf(row: DefinitionRow) {
    try {
      return await host.translations.of(row.id);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID_TRANSLATIONS') return {};
      throw error;
    }
  }

  /** Every form-declared variable of a version with its label and option names; the start form first, then the user tasks' forms. */
  async function variableCatalogue(row: DefinitionRow): Promise<VariableCatalogue> {
    const { model } = await host.definitions.load(row.id);
    const texts = await textsOf(row);
    const variables: VariableCatalogue['variables'] = {};
    const add = (elementId: string, fields: FormField[], source: 'start-form' | 'task-form') => {
      for (const field of fields) {
        if (variables[field.id]) continue;
        const names = (key: string, kk: string | undefined) => texts[key] ?? { kk: kk ?? field.id };
        variables[field.id] = {
          label: names(`${elementId}/${field.id}`, field.label),
          type: field.type,
          ...(field.values ? { values: Object.fromEntries(field.values.map((v) => [v.id, names(`${elementId}/${field.id}/${v.id}`, v.name ?? v.id)])) } : {}),
          declaredBy: elementId,
          source,
        };
      }
    };
    const startId = await host.translations.startFormElementId(row.id);
    if (startId) add(startId, model.startFormFields, 'start-form');
    for (const task of model.userTasks.values()) add(task.id, task.formFields, 'task-form');
    return { processDefinitionKey: row.key, version: row.version, variables };
  }

  return [
    route({
      method: 'get',
      path: '/process-definitions/:key/variables',
      summary: "Labels of a version's variables: every form field of its start form and user tasks, with option names, in Kazakh, Russian and English",
      params: keyParam,
      query: z.object({ version: wholeNumber(1, 1_000_000, undefined, 'Version (default latest)') }),
      responses: { 200: { description: 'OK', schema: VariableCatalogueSchema } },
      async handle({ params, query }) {
        const row = query.version === undefined ? await host.definitions.latest(params.key) : await host.definitions.byId(`${params.key}:${query.version}`);
        return variableCatalogue(row);
      },
    }),
    route({
      method: 'get',
      path: '/process-definitions',
      summary: 'Deployed process definitions (latest versions unless all=true)',
      query: z.object({ all: flag('Every version, not only the latest') }),
      responses: { 200: { description: 'OK', schema: z.array(ProcessDefinitionSchema) } },
      async handle({ query, user }) {
        const rows = await host.definitions.list(query.all === true);
        return Promise.all(rows.map((row) => presentForCaller(row, user)));
      },
    }),
    route({
      method: 'get',
      path: '/process-definitions/:key',
      summary: 'The version in force today (the one a start uses), with its start form',
      params: keyParam,
      responses: {
        200: { description: 'OK', schema: ProcessDefinitionDetailSchema },
        422: { description: 'NOT_YET_IN_FORCE: every deployed version comes into force later' },
      },
      async handle({ params, user }) {
        const row = await host.definitions.inForce(params.key, host.clock.now());
        const fields = (await host.definitions.load(row.id)).model.startFormFields;
        return { ...(await presentForCaller(row, user)), startFormFields: fields, startFormSchema: formJsonSchema(fields) };
      },
    }),
    route({
      method: 'get',
      path: '/process-definitions/:key/in-force',
      summary: 'Which version applies to applications filed when (process property inForceFrom)',
      params: keyParam,
      responses: { 200: { description: 'OK', schema: InForceSchema } },
      async handle({ params }) {
        const { today, periods } = await host.definitions.inForcePeriods(params.key);
        return { key: params.key, today, periods: periods.map((p) => ({ id: `${params.key}:${p.version}`, ...p })) };
      },
    }),
    route({
      method: 'get',
      path: '/process-definitions/:key/xml',
      summary: 'BPMN source of the latest or a given version, for viewers and modelers',
      params: keyParam,
      query: z.object({ version: wholeNumber(1, 1_000_000, undefined, 'Version (default latest)') }),
      responses: { 200: { description: 'BPMN XML', mediaType: 'application/xml' } },
      async handle({ params, query, res }) {
        const row = query.version === undefined ? await host.definitions.latest(params.key) : await host.definitions.byId(`${params.key}:${query.version}`);
        res.type('application/xml').send(row.source);
      },
    }),
    route({
      method: 'get',
      path: '/process-definitions/:key/translations',
      summary: "Russian and English of the texts of the latest or a given version (processes/i18n); the Kazakh text is the legal one",
      description:
        'Every user-visible text of the diagram (title, pool, lanes, flow nodes, named flows, form labels, enum options) with its Kazakh text from the diagram and, where processes/i18n/<key>.json translates that very Kazakh text, ru and en. A broken translation file is a 500 INVALID_TRANSLATIONS naming the file and the field; it never affects deployment.',
      params: keyParam,
      query: z.object({ version: wholeNumber(1, 1_000_000, undefined, 'Version (default latest)') }),
      responses: { 200: { description: 'OK', schema: DiagramTranslationsSchema }, 500: { description: 'INVALID_TRANSLATIONS: the translation file is broken (details: file, field)' } },
      async handle({ params, query }) {
        const row = query.version === undefined ? await host.definitions.latest(params.key) : await host.definitions.byId(`${params.key}:${query.version}`);
        return { processDefinitionKey: row.key, version: row.version, startFormElementId: await host.translations.startFormElementId(row.id), texts: await host.translations.of(row.id) };
      },
    }),
    route({
      method: 'post',
      path: '/process-definitions/:key/start',
      summary: 'Start an instance of the version in force today',
      description:
        'With an Idempotency-Key header the instance id is derived from the key: a repeated request of the same user with the same business key answers 200 with the instance the first one started (header Idempotent-Replayed: true), also after a server crash; the key used by another user or for another business key is a 409.',
      params: keyParam,
      headers: idempotencyKey,
      body: startBody,
      responses: {
        201: { description: 'Started', schema: StartedInstanceSchema },
        200: { description: 'A repeated request (same Idempotency-Key): the instance the first one started', schema: StartedInstanceSchema },
        403: { description: 'NOT_STARTABLE: the process is started only by call activities (isStartableInTasklist="false"), for every user; NOT_A_STARTER: the user is neither in its candidateStarterGroups / candidateStarterUsers nor an admin. Nothing is stored' },
        409: { description: 'CONFLICT: the Idempotency-Key was used by another user or for another business key; CASE_NUMBER_TAKEN: the business key (case number) is already used in this reglament, details.instanceId names that application. Nothing is stored' },
        502: { description: 'A service handler failed; nothing was stored' },
      },
      async handle({ params, headers, body, user, res }) {
        const { businessKey, variables } = body as z.output<typeof startBody>;
        const row = await host.runtime.start(params.key, { businessKey: businessKey ?? null, variables }, user, { idempotencyKey: headers['Idempotency-Key'] });
        const presented = presentInstance(row, host.clock.now());
        // A repeated request with the same Idempotency-Key answers with the instance the first one started.
        if (row.replayed) res.set('Idempotent-Replayed', 'true');
        res.status(row.replayed ? 200 : 201);
        // A run that ended at once (a formal refusal, say) is answered as it ended, with the end event's name.
        const outcomeName = row.outcome ? ((await host.definitions.load(row.definitionId)).model.endEvents.get(row.outcome)?.name ?? undefined) : undefined;
        return { id: presented.id, processDefinitionKey: presented.processDefinitionKey, version: presented.version, state: presented.state, businessKey: presented.businessKey, activeActivities: presented.activeActivities, outcome: presented.outcome, outcomeName };
      },
    }),
  ];
}
