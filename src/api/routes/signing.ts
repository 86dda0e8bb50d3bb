import { randomBytes } from 'node:crypto';
import { Request } from 'express';
import { z } from 'zod';
import { renderDocumentPdf, RESULT_KINDS, ResultDocumentFacts, ResultKind } from '../../documents/result-pdf';
import { signedKindOf } from '../../definitions/model';
import { checkSignedDraft, sha256Hex } from '../../documents/signing';
import { assertMayActOnTask, maySeeCase } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow, TaskRow } from '../../persistence/api-store';
import type { SigningDraftRow } from '../../persistence/signing-draft-store';
import { HostContext } from '../context';
import { DomainError, notFound } from '../errors';
import { ApiRoute, route } from '../route-table';
import { caseScopeOf } from './cases';
import { verificationUrl } from './documents';

/*
 * A person's signature of a document (issue 17 point 6, issue 18 point 3). At a signing step (a user
 * task with the `signs` property) the server renders the draft once, in Kazakh and Russian, and keeps
 * its bytes; the signer's browser shows exactly those bytes and has NCALayer sign them; the CMS comes
 * back here, never as a form field, and is checked before the step completes.
 */

const taskParam = z.object({ id: z.string().meta({ description: 'Task id' }) });
const documentParams = z.object({ id: z.string().meta({ description: 'Instance id (the case)' }), documentId: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'The signed document id' }) });

const SignBody = z.object({ cms: z.string().min(1).max(4_000_000).meta({ description: 'Base64 DER of the CMS SignedData NCALayer made, the draft PDF attached (kz.gov.pki.knca.basics sign, format cms, encapsulate true)' }) }).strict();

const SignedDocumentSchema = z
  .object({
    id: z.string(),
    taskId: z.string(),
    taskDefinitionKey: z.string(),
    kind: z.string(),
    sha256: z.string().meta({ description: 'SHA-256 of the PDF bytes shown and signed' }),
    signed: z.boolean(),
    signedBy: z.string().nullable(),
    signedByName: z.string().nullable(),
    signerIin: z.string().nullable(),
    signedAt: z.string().nullable(),
    pdf: z.string(),
    cms: z.string().nullable(),
  })
  .meta({ id: 'SignedDocument' });

/** Who may see or sign a draft: those who may act on its task (its holder, or its group while nobody holds it). */
async function signingTask(host: HostContext, taskId: string, user: User): Promise<{ task: TaskRow; signs: ResultKind }> {
  const task = await host.store.task(taskId);
  if (!task) throw notFound(`No task with id "${taskId}"`);
  const groups = await host.store.taskGroups(task.id);
  assertMayActOnTask(user, task, groups);
  const model = (await host.definitions.load(task.definitionId)).model.userTasks.get(task.taskDefinitionKey);
  if (!model?.signs) throw new DomainError('conflict', 'NOT_A_SIGNING_STEP', `Step "${task.name ?? task.taskDefinitionKey}" has no document to sign`);
  // A step that signs the result or its refusal (grantedIf) reads the outcome an earlier step recorded in the case.
  const instance = model.grantedIf ? await host.store.instance(task.processInstanceId) : null;
  const signs = signedKindOf(model, instance ? (JSON.parse(instance.variables) as Record<string, unknown>) : {})!;
  if (!(RESULT_KINDS as readonly string[]).includes(signs)) throw new DomainError('unprocessable', 'UNKNOWN_DOCUMENT_KIND', `Step "${task.taskDefinitionKey}" signs "${signs}", which is none of ${RESULT_KINDS.join(', ')}`);
  return { task, signs: signs as ResultKind };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function publicUrlOf(req: Request): string {
  const publicUrl = req.app.locals.publicUrl as (() => string) | undefined;
  return publicUrl ? publicUrl() : `${req.protocol}://${req.get('host')}`;
}

/** The draft's facts from the case as it is when the step opens: the act's wording, the applicant, the numbers so far. */
async function draftFacts(host: HostContext, instance: InstanceRow, kind: ResultKind, verifyUrl: string, now: Date): Promise<{ kk: ResultDocumentFacts; ru: ResultDocumentFacts }> {
  const root = instance.rootInstanceId ? ((await host.store.instance(instance.rootInstanceId)) ?? instance) : instance;
  const variables = { ...(JSON.parse(root.variables) as Record<string, unknown>), ...(JSON.parse(instance.variables) as Record<string, unknown>) };
  const { model } = await host.definitions.load(root.definitionId);
  const names = await host.translations.of(root.definitionId);
  const act = model.act;
  const base = {
    kind,
    number: text(variables.licenceNumber) ?? text(variables.refusalNumber),
    registrationNumber: text(variables.registrationNumber) ?? root.businessKey ?? undefined,
    applicant: { name: text(variables.applicantName), iinBin: text(variables.applicantIinBin) },
    refusalReason: text(variables.refusalReason),
    testDate: text(variables.testDate),
    testPlace: text(variables.testPlace),
    issuedAt: now.toISOString(),
    signer: {},
    verifyUrl,
  };
  return {
    kk: { ...base, serviceTitle: model.name ?? model.key, act: act && { body: act.body, kind: act.kind, number: act.number, date: act.date, registration: act.registration } },
    ru: { ...base, serviceTitle: names[model.key]?.ru ?? model.name ?? model.key, act: act && { body: act.bodyRu ?? act.body, kind: act.kind, number: act.number, date: act.date, registration: act.registration } },
  };
}

/** One PDF, a Kazakh page then a Russian one: one signature covers both texts. */
function renderDraft(facts: { kk: ResultDocumentFacts; ru: ResultDocumentFacts }): Promise<Uint8Array> {
  return renderDocumentPdf([
    { facts: facts.kk, language: 'kk' },
    { facts: facts.ru, language: 'ru' },
  ]);
}

export function signingRoutes(host: HostContext): ApiRoute[] {
  /** The task's draft: the stored one, or rendered now and stored (the first stored wins). */
  async function draftOf(task: TaskRow, kind: ResultKind, req: Request): Promise<SigningDraftRow> {
    const existing = await host.signingDrafts.ofTask(task.id);
    if (existing) return existing;
    if (task.state !== 'open') throw notFound(`Task ${task.id} has no draft (it is ${task.state})`);
    const instance = await host.store.instance(task.processInstanceId);
    if (!instance) throw notFound(`No process instance with id "${task.processInstanceId}"`);
    const now = host.clock.now();
    const id = randomBytes(32).toString('hex');
    const rootId = instance.rootInstanceId ?? instance.id;
    const pdf = await renderDraft(await draftFacts(host, instance, kind, verificationUrl(publicUrlOf(req), `${rootId}.${id}`), now));
    return host.signingDrafts.keepFirst({
      taskId: task.id,
      id,
      processInstanceId: instance.id,
      rootInstanceId: rootId,
      taskDefinitionKey: task.taskDefinitionKey,
      kind,
      sha256: sha256Hex(pdf),
      pdf: Buffer.from(pdf).toString('base64'),
      createdAt: now.toISOString(),
      cms: null,
      signedBy: null,
      signerIin: null,
      signedAt: null,
    });
  }

  async function maySee(row: InstanceRow, user: User): Promise<boolean> {
    return maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups));
  }

  /** A signed document of a case: its task was completed with the signature (a stray CMS of a failed completion is not one). */
  async function signedDocument(instanceId: string, documentId: string, user: User): Promise<SigningDraftRow> {
    const row = await host.store.instance(instanceId);
    const draft = row && (await maySee(row, user)) ? await host.signingDrafts.byId(documentId) : null;
    const task = draft?.cms ? await host.store.task(draft.taskId) : null;
    if (!row || !draft || !task || task.state !== 'completed' || (draft.rootInstanceId !== row.id && draft.processInstanceId !== row.id)) throw notFound(`Process instance "${instanceId}" has no signed document ${documentId}`);
    return draft;
  }

  return [
    route({
      method: 'get',
      path: '/tasks/:id/draft.pdf',
      summary: 'The document a signing step signs, as the PDF its signer sees (Kazakh and Russian pages): rendered when first asked for and kept, so every preview and the signature are over the same bytes (SHA-256 in X-Document-SHA256)',
      params: taskParam,
      responses: { 200: { description: 'The PDF', mediaType: 'application/pdf' }, 409: { description: 'Not a signing step' } },
      async handle({ params, user, req, res }) {
        const { task, signs } = await signingTask(host, params.id, user);
        const draft = await draftOf(task, signs, req);
        const bytes = Buffer.from(draft.pdf, 'base64');
        res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${draft.kind}-draft-${draft.sha256.slice(0, 12)}.pdf"`);
        res.setHeader('X-Document-SHA256', draft.sha256);
        res.setHeader('Cache-Control', 'no-store');
        res.send(bytes);
      },
    }),
    route({
      method: 'post',
      path: '/tasks/:id/sign',
      summary:
        "Complete a signing step with its person's EDS: the CMS NCALayer made over the draft's exact bytes (attached), checked before the step completes: the bytes and messageDigest, key usage for signing, the chain to the trusted roots, validity, revocation (CRL) and the signer's IIN equal to the signed-in user's. A refused signature changes nothing",
      params: taskParam,
      body: SignBody,
      responses: {
        200: { description: 'Signed; the step completed' },
        400: { description: 'The signature is refused (details.failure: not-cms, bytes-differ, key-usage, other-iin, revoked, expired, untrusted, bad-signature, no-iin, unverifiable); nothing changed' },
        409: { description: 'Not a signing step, the draft was never shown, held by someone else, or no longer open' },
      },
      async handle({ params, body, user }) {
        const signedCms = (body as z.infer<typeof SignBody>).cms;
        const { task } = await signingTask(host, params.id, user);
        const draft = await host.signingDrafts.ofTask(task.id);
        if (!draft) throw new DomainError('conflict', 'DRAFT_NOT_SHOWN', `The document of task ${task.id} was never shown (GET /api/tasks/${task.id}/draft.pdf): a signature can only be of the bytes shown`);
        if (!host.signatures) throw new DomainError('internal', 'NO_VERIFIER', 'No EDS verifier is configured: a signature cannot be checked');
        const signatures = host.signatures;
        const completed = await host.runtime.completeTask(task.id, {}, user, {
          check: async () => {
            const now = host.clock.now();
            const result = await checkSignedDraft(signedCms, new Uint8Array(Buffer.from(draft.pdf, 'base64')), user.iin, await signatures.verifier(), now);
            if (!result.ok) throw new DomainError('invalid', 'SIGNATURE_REFUSED', result.message ?? 'The signature is refused', { failure: result.failure });
            const signedAt = result.signedAt ?? now.toISOString();
            return {
              signature: { taskId: task.id, cms: Buffer.from(signedCms.replace(/\s+/g, ''), 'base64').toString('base64'), signedBy: user.id, signerIin: user.iin ?? null, signedAt },
              history: {
                documentId: draft.id,
                kind: draft.kind,
                taskId: task.id,
                sha256: draft.sha256,
                messageDigest: result.messageDigest,
                signerIin: result.subject?.iin ?? null,
                signerName: result.subject?.commonName ?? null,
                certificateSerial: result.subject?.serialNumber ?? null,
                signedAt,
              },
            };
          },
        });
        return { ...completed, documentId: draft.id, sha256: draft.sha256 };
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/signatures',
      summary: 'The documents people of the case signed with EDS (a signing step completed), oldest first',
      params: z.object({ id: z.string() }),
      responses: { 200: { description: 'OK', schema: z.array(SignedDocumentSchema) } },
      async handle({ params, user }) {
        const row = await host.store.instance(params.id);
        if (!row || !(await maySee(row, user))) throw notFound(`No process instance with id "${params.id}"`);
        const drafts = await host.signingDrafts.ofApplication(row.rootInstanceId ?? row.id);
        const out = [];
        for (const d of drafts) {
          const signed = !!d.cms && (await host.store.task(d.taskId))?.state === 'completed';
          const base = `/api/process-instances/${encodeURIComponent(row.id)}/signatures/${d.id}`;
          out.push({ id: d.id, taskId: d.taskId, taskDefinitionKey: d.taskDefinitionKey, kind: d.kind, sha256: d.sha256, signed, signedBy: signed ? d.signedBy : null, signedByName: signed && d.signedBy ? host.users.nameOf(d.signedBy) : null, signerIin: signed ? d.signerIin : null, signedAt: signed ? d.signedAt : null, pdf: `${base}.pdf`, cms: signed ? `${base}.p7s` : null });
        }
        return out;
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/signatures/:documentId.pdf',
      summary: 'A signed document as printed: exactly the PDF bytes that were shown and signed',
      params: documentParams,
      responses: { 200: { description: 'The PDF', mediaType: 'application/pdf' } },
      async handle({ params, user, res }) {
        const draft = await signedDocument(params.id, params.documentId, user);
        res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${draft.kind}-${draft.sha256.slice(0, 12)}.pdf"`);
        res.setHeader('X-Document-SHA256', draft.sha256);
        res.send(Buffer.from(draft.pdf, 'base64'));
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/signatures/:documentId.p7s',
      summary: "A signed document's CMS (DER, the PDF attached), as the signer's NCALayer made it",
      params: documentParams,
      responses: { 200: { description: 'The CMS', mediaType: 'application/pkcs7-signature' } },
      async handle({ params, user, res }) {
        const draft = await signedDocument(params.id, params.documentId, user);
        res.type('application/pkcs7-signature').setHeader('Content-Disposition', `attachment; filename="${draft.kind}-${draft.sha256.slice(0, 12)}.p7s"`);
        res.send(Buffer.from(draft.cms!, 'base64'));
      },
    }),
  ];
}
