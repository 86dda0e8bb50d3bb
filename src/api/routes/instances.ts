import { z } from 'zod';
import { toPem } from '../../crypto/pki';
import { readSignedDocument } from '../../crypto/signed-document';
import { assertAdmin, maySeeCase, visibleGroups } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow } from '../../persistence/api-store';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { presentHistory, presentIncident, presentInstance } from '../presenters';
import { withElementNames } from '../../runtime/history';
import { ApiRoute, route } from '../route-table';
import { caseScopeOf } from './cases';
import { flag, oneOf, paging, text } from '../schemas/query';
import { HistoryEntrySchema, IncidentSchema, pageOf, ProcessInstanceSchema, SignedDocumentInfo, SignedDocumentSchema } from '../schemas/resources';

const idParam = z.object({ id: z.string().meta({ description: 'Instance id' }) });
const documentParams = idParam.extend({ variable: z.string().meta({ description: 'The variable holding the signed document' }) });

export function instanceRoutes(host: HostContext): ApiRoute[] {
  /** An instance is seen by those who may see its application (identity/access.ts caseScope). */
  async function visibleInstance(id: string, user: User): Promise<InstanceRow> {
    const row = await host.store.instance(id);
    const visible = row && (await maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups)));
    if (!row || !visible) throw notFound(`No process instance with id "${id}"`);
    return row;
  }

  /**
   * The signed documents among an instance's variables, each verified now. A document the applicant
   * sent through the start form is also checked against the applicant's IIN/BIN, as at intake; one a
   * handler produced (the provider's signed result) is not.
   */
  async function signedDocuments(row: InstanceRow): Promise<SignedDocumentInfo[]> {
    const variables = JSON.parse(row.variables) as Record<string, unknown>;
    const startFields = new Set((await host.definitions.load(row.definitionId)).model.startFormFields.map((f) => f.id));
    const applicant = typeof variables.applicantIinBin === 'string' ? variables.applicantIinBin : undefined;
    const now = host.clock.now();
    const documents: SignedDocumentInfo[] = [];
    for (const [name, value] of Object.entries(variables).sort(([a], [b]) => a.localeCompare(b))) {
      const document = readSignedDocument(value);
      if (!document) continue;
      const checkedAgainstApplicant = startFields.has(name);
      let verdict: { valid: boolean | null; failure: string | null; message: string | null };
      try {
        if (!host.signatures) throw new Error('no EDS verifier is configured');
        const result = await (await host.signatures.verifier()).verify(value, checkedAgainstApplicant ? applicant : undefined, now);
        verdict = { valid: result.valid, failure: result.failure ?? null, message: result.message ?? null };
      } catch (error) {
        // The CA or its CRL out of reach says nothing about the signature: unknown, not invalid.
        verdict = { valid: null, failure: 'unavailable', message: error instanceof Error ? error.message : String(error) };
      }
      documents.push({
        variable: name,
        signer: document.signer,
        signedAt: document.signedAt ?? null,
        ...verdict,
        checkedAgainstApplicant,
        contentBytes: document.contentBytes,
        download: `/api/process-instances/${encodeURIComponent(row.id)}/signed-documents/${encodeURIComponent(name)}`,
      });
    }
    return documents;
  }

  return [
    route({
      method: 'get',
      path: '/process-instances/:id/signed-documents',
      summary: 'The signed documents (CMS) among the variables of an instance: signer, IIN/BIN, signing time, verified now',
      params: idParam,
      responses: { 200: { description: 'OK', schema: z.array(SignedDocumentSchema) } },
      async handle({ params, user }) {
        return signedDocuments(await visibleInstance(params.id, user));
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/signed-documents/:variable',
      summary: 'A signed document of an instance as a file: DER (application/pkcs7-mime, .p7m) or, with format=pem, PEM',
      params: documentParams,
      query: z.object({ format: oneOf(['der', 'pem'] as const, 'der', 'DER (default) or PEM') }),
      responses: { 200: { description: 'The CMS SignedData', mediaType: 'application/pkcs7-mime' } },
      async handle({ params, query, user, res }) {
        const row = await visibleInstance(params.id, user);
        const variables = JSON.parse(row.variables) as Record<string, unknown>;
        const document = Object.hasOwn(variables, params.variable) ? readSignedDocument(variables[params.variable]) : null;
        if (!document) throw notFound(`Process instance "${params.id}" has no signed document in "${params.variable}"`);
        const base = `${(row.businessKey ?? row.id).replace(/[^A-Za-z0-9._-]+/g, '_')}-${params.variable.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
        // Set after attachment(), which would take the type from the file name.
        if (query.format === 'pem') {
          res.attachment(`${base}.pem`).type('application/x-pem-file').send(toPem(document.der, 'CMS'));
        } else {
          res.attachment(`${base}.p7m`).type('application/pkcs7-mime; smime-type=signed-data').send(Buffer.from(document.der));
        }
      },
    }),
    route({
      method: 'get',
      path: '/process-instances',
      summary: 'Instances (admins: all; others: those with a task of their groups)',
      query: z.object({
        processDefinitionKey: text('Process key'),
        state: oneOf(['running', 'completed', ''] as const, '', 'Instance state (any when empty)'),
        businessKey: text('Business key'),
        ...paging,
      }),
      responses: { 200: { description: 'OK', schema: pageOf(ProcessInstanceSchema) } },
      async handle({ query, user }) {
        const result = await host.store.instances({ ...query, state: query.state || undefined, visibleGroups: visibleGroups(user) });
        return { items: result.items.map((r) => presentInstance(r, host.clock.now())), total: result.total };
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id',
      summary: 'One instance, with its open incidents',
      params: idParam,
      responses: { 200: { description: 'OK', schema: ProcessInstanceSchema } },
      async handle({ params, user }) {
        const row = await visibleInstance(params.id, user);
        return { ...presentInstance(row, host.clock.now()), incidents: (await host.runtime.openIncidents(row.id)).map(presentIncident) };
      },
    }),
    route({
      method: 'post',
      path: '/process-instances/:id/retry',
      summary: 'Run the failed service task of an instance with an open incident again (admin)',
      access: assertAdmin,
      params: idParam,
      responses: {
        200: { description: 'OK', schema: z.object({ resolved: z.boolean(), incidents: z.array(IncidentSchema), instance: ProcessInstanceSchema }) },
        409: { description: 'No open incident' },
      },
      async handle({ params, user }) {
        const result = await host.runtime.retry(params.id, user);
        return { resolved: result.resolved, incidents: result.incidents.map(presentIncident), instance: presentInstance(result.instance, host.clock.now()) };
      },
    }),
    route({
      method: 'get',
      path: '/incidents',
      summary: 'Incidents (admin); open ones unless open=false',
      access: assertAdmin,
      query: z.object({ processInstanceId: text('Instance id'), open: flag('Open incidents (default true), or resolved ones') }),
      responses: { 200: { description: 'OK', schema: z.array(IncidentSchema) } },
      async handle({ query }) {
        const rows = await host.runtime.listIncidents({ processInstanceId: query.processInstanceId, open: query.open ?? true });
        return rows.map(presentIncident);
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/history',
      summary: 'Append-only history of an instance',
      params: idParam,
      responses: { 200: { description: 'OK', schema: z.array(HistoryEntrySchema) } },
      async handle({ params, user }) {
        const row = await visibleInstance(params.id, user);
        // The users a step chose (a users-of-group field) by name, as a case's viewers see its tasks' holders.
        const { model } = await host.definitions.load(row.definitionId);
        const choices = new Set([...model.userTasks.values()].flatMap((t) => t.formFields.filter((f) => f.choices).map((f) => f.id)));
        return withElementNames(await host.store.history(row.id), model).map((entry) => {
          const presented = presentHistory(entry);
          const named = presented.user ? { ...presented, userName: host.users.nameOf(presented.user) } : presented;
          const variables = entry.type === 'task-completed' ? ((presented.data as { variables?: Record<string, unknown> } | undefined)?.variables ?? {}) : {};
          const chosen = Object.entries(variables).filter(([id, value]) => choices.has(id) && typeof value === 'string');
          return chosen.length > 0 ? { ...named, userNames: Object.fromEntries(chosen.map(([, value]) => [value as string, host.users.nameOf(value as string)])) } : named;
        });
      },
    }),
  ];
}
