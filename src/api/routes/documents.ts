import express, { Request, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { Authenticity, checkAuthenticity, parseVerificationToken, resultNumber, storedResult, StoredResult, verificationToken } from '../../documents/result-document';
import { DOCUMENT_LANGUAGES, DocumentLanguage, documentDateTime, renderResultPdf, RESULT_KINDS, ResultDocumentFacts } from '../../documents/result-pdf';
import { OFFICE_DOCUMENTS, renderOfficeDocumentPdf } from '../../documents/office-documents';
import { parseCms } from '../../crypto/cms';
import { sha256Hex } from '../../documents/signing';
import { maySeeCase } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow } from '../../persistence/api-store';
import type { SigningDraftRow } from '../../persistence/signing-draft-store';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { ApiRoute, route } from '../route-table';
import { oneOf } from '../schemas/query';
import { caseScopeOf } from './cases';

/*
 * The documents the office issues (issue 17, point 5): the printable PDF of a case's signed result,
 * and the public page its QR code leads to.
 */

const documentParams = z.object({
  id: z.string().meta({ description: 'Instance id (the case)' }),
  kind: z.enum(RESULT_KINDS).meta({ description: 'The kind of the result: licence, permit, certificate, attestat, notification or refusal' }),
});

/** Where the verification page of a token is, under the server's public address. */
export function verificationUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(token)}`;
}

function publicUrlOf(req: Request): string {
  const publicUrl = req.app.locals.publicUrl as (() => string) | undefined;
  return publicUrl ? publicUrl() : `${req.protocol}://${req.get('host')}`;
}

/** The facts of the printed document: the signed result, the reglament's title and act in `language`. */
async function factsOf(host: HostContext, row: InstanceRow, result: StoredResult, language: DocumentLanguage, verifyUrl: string, paperCopy: boolean): Promise<ResultDocumentFacts> {
  const { model } = await host.definitions.load(row.definitionId);
  const names = language === 'ru' ? await host.translations.of(row.definitionId) : {};
  const title = (language === 'ru' ? names[model.key]?.ru : undefined) ?? model.name ?? model.key;
  const act = model.act;
  return {
    kind: result.data.kind,
    serviceTitle: title,
    act: act && { body: (language === 'ru' ? act.bodyRu : undefined) ?? act.body, kind: act.kind, number: act.number, date: act.date, registration: act.registration },
    number: resultNumber(result.data),
    registrationNumber: result.data.numbers.registrationNumber,
    applicant: result.data.applicant,
    refusalReason: result.data.refusalReason,
    issuedAt: result.data.issuedAt || result.signedAt || row.startedAt,
    signer: result.signer,
    signedAt: result.signedAt,
    paperCopy,
    verifyUrl,
  };
}

/**
 * The token a printed result's QR code carries: for a result the authorised person signed, the id of
 * that signed document (the one its own PDF already prints); for the system's, the SHA-256 of its CMS.
 */
async function resultToken(host: HostContext, row: InstanceRow, result: StoredResult): Promise<string> {
  if (result.pdf) {
    const signed = (await host.signingDrafts.ofApplication(row.rootInstanceId ?? row.id)).find((d) => d.cms && Buffer.from(d.cms, 'base64').equals(Buffer.from(result.der)));
    if (signed) return `${row.id}.${signed.id}`;
  }
  return verificationToken(row.id, result);
}

export function documentRoutes(host: HostContext): ApiRoute[] {
  async function visibleInstance(id: string, user: User): Promise<InstanceRow> {
    const row = await host.store.instance(id);
    const visible = row && (await maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups)));
    if (!row || !visible) throw notFound(`No process instance with id "${id}"`);
    return row;
  }

  return [
    route({
      method: 'get',
      path: '/process-instances/:id/documents/:kind.pdf',
      summary:
        "The case's signed result as a printable PDF with the signer, the signing time and a QR code of its verification page: the PDF the authorised person signed, exactly its bytes (its Kazakh and Russian pages; lang changes nothing), or, for a result the system certified, rendered in Kazakh or Russian",
      params: documentParams,
      query: z.object({ lang: oneOf(DOCUMENT_LANGUAGES, 'kk', 'The language of the document: kk (default) or ru') }),
      responses: { 200: { description: 'The PDF', mediaType: 'application/pdf' } },
      async handle({ params, query, user, req, res }) {
        const row = await visibleInstance(params.id, user);
        const variables = JSON.parse(row.variables) as Record<string, unknown>;
        const result = storedResult(variables);
        if (!result || result.data.kind !== params.kind) throw notFound(`Process instance "${params.id}" has no signed ${params.kind}`);
        // A result the authorised person signed is that PDF, byte for byte (both languages in one; its QR code names the signed document).
        const pdf = result.pdf ?? (await renderResultPdf(await factsOf(host, row, result, query.lang, verificationUrl(publicUrlOf(req), verificationToken(row.id, result)), variables.resultForm === 'paper'), query.lang));
        const base = `${(row.businessKey ?? row.id).replace(/[^A-Za-z0-9._-]+/g, '_')}-${params.kind}${result.pdf ? '' : `-${query.lang}`}.pdf`;
        res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${base}"`);
        res.send(Buffer.from(pdf));
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/office-documents/:document.pdf',
      summary:
        "What the office prints and sends with the case's signed result on paper (Kazakh or Russian): the cover letter with the outgoing number and date (where the act has the office register the outgoing document) and what is enclosed, or the paper copy of the result with places for the head's signature and seal; both with the QR code of the result's verification page",
      params: z.object({ id: z.string().meta({ description: 'Instance id (the case)' }), document: z.enum(OFFICE_DOCUMENTS).meta({ description: 'cover-letter or paper-copy' }) }),
      query: z.object({ lang: oneOf(DOCUMENT_LANGUAGES, 'kk', 'The language of the document: kk (default) or ru') }),
      responses: { 200: { description: 'The PDF', mediaType: 'application/pdf' } },
      async handle({ params, query, user, req, res }) {
        const row = await visibleInstance(params.id, user);
        const variables = JSON.parse(row.variables) as Record<string, unknown>;
        const result = storedResult(variables);
        if (!result) throw notFound(`Process instance "${params.id}" has no signed result`);
        const outgoingNumber = typeof variables.outgoingNumber === 'string' ? variables.outgoingNumber : undefined;
        // Only a result that goes out on paper has a cover letter and a paper copy: asked for on paper, or registered as outgoing.
        if (!outgoingNumber && variables.resultForm !== 'paper') throw notFound(`Process instance "${params.id}" sends no paper result`);
        const url = verificationUrl(publicUrlOf(req), await resultToken(host, row, result));
        const facts = await factsOf(host, row, result, query.lang, url, true);
        const registeredAt = typeof variables.outgoingRegisteredAt === 'string' ? variables.outgoingRegisteredAt : undefined;
        const pdf = await renderOfficeDocumentPdf(params.document, { ...facts, provider: result.signer.organization, outgoing: outgoingNumber && registeredAt ? { number: outgoingNumber, registeredAt } : undefined }, query.lang);
        const base = `${(row.businessKey ?? row.id).replace(/[^A-Za-z0-9._-]+/g, '_')}-${params.document}-${query.lang}.pdf`;
        res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${base}"`);
        res.send(Buffer.from(pdf));
      },
    }),
  ];
}

const PAGE_TEXT = {
  title: 'Құжаттың түпнұсқалығын тексеру / Проверка подлинности документа',
  authentic: 'Құжат түпнұсқа: электрондық цифрлық қолтаңба расталды / Документ подлинный: электронная цифровая подпись подтверждена',
  notAuthentic: 'Құжат түпнұсқа ЕМЕС / Документ НЕ подлинный',
  unknown: 'Мұндай құжат табылмады / Такой документ не найден',
  changed: 'Сақталған құжат басып шығарылғанымен сәйкес келмейді / Хранимый документ не совпадает с напечатанным',
  badSignature: 'Қолтаңба расталмады / Подпись не подтверждена',
  kind: 'Түрі / Вид',
  number: 'Нөмірі / Номер',
  date: 'Күні / Дата',
  provider: 'Қызмет беруші / Услугодатель',
  signer: 'Қол қойған / Подписал',
} as const;

const CHANGED = 'the stored document is not the one signed';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function verificationHtml(status: string, authentic: boolean, rows: [string, string | undefined][]): string {
  return `<!doctype html><html lang="kk"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(PAGE_TEXT.title)}</title></head><body>
<h1>${escapeHtml(PAGE_TEXT.title)}</h1>
<p data-authentic="${authentic}"><strong>${escapeHtml(status)}</strong></p>
<dl>${rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('')}</dl>
</body></html>`;
}

/**
 * GET /verify/:token, public and HTML: what the QR code of a printed document leads to. It says
 * whether the stored document is authentic and shows only what the paper itself shows (kind,
 * number, date, provider), never the applicant. Limited per client like the sign-in, so the page
 * cannot be used to probe case ids in bulk.
 */
export function verificationPage(host: HostContext, options: { limit?: number; windowMs?: number } = {}): Router {
  const router = express.Router();
  const limiter = rateLimit({ limit: options.limit ?? 60, windowMs: options.windowMs ?? 60_000, standardHeaders: 'draft-8', legacyHeaders: false });
  router.get('/verify/:token', limiter, async (req, res, next) => {
    try {
      const token = parseVerificationToken(String(req.params.token));
      // A document a person signed (its QR code names the document's id): the stored CMS over the stored PDF.
      const personal = token ? await signedDocumentAuthenticity(host, token.instanceId, token.sha256) : { found: false as const };
      if (personal.found) {
        const status = personal.authentic ? PAGE_TEXT.authentic : `${PAGE_TEXT.notAuthentic}. ${personal.message === CHANGED ? PAGE_TEXT.changed : PAGE_TEXT.badSignature}`;
        const rows: [string, string | undefined][] = [
          [PAGE_TEXT.kind, personal.draft.kind],
          [PAGE_TEXT.number, personal.number],
          [PAGE_TEXT.date, personal.draft.signedAt ? documentDateTime(personal.draft.signedAt) : undefined],
          [PAGE_TEXT.signer, personal.signerName],
        ];
        res.status(200).setHeader('Cache-Control', 'no-store').type('html').send(verificationHtml(status, personal.authentic, rows));
        return;
      }
      const row = token ? await host.store.instance(token.instanceId) : undefined;
      const variables = row ? (JSON.parse(row.variables) as Record<string, unknown>) : null;
      const verdict: Authenticity = token
        ? await checkAuthenticity(variables, token.sha256, async (cms) => {
            if (!host.signatures) return { valid: false, message: 'no EDS verifier is configured' };
            return (await host.signatures.verifier()).verify(cms, undefined, host.clock.now());
          })
        : { authentic: false, reason: 'unknown' };
      const rows: [string, string | undefined][] = verdict.result
        ? [
            [PAGE_TEXT.kind, verdict.result.data.kind],
            [PAGE_TEXT.number, resultNumber(verdict.result.data)],
            [PAGE_TEXT.date, verdict.result.signedAt ? documentDateTime(verdict.result.signedAt) : undefined],
            [PAGE_TEXT.provider, verdict.result.signer.organization ?? verdict.result.signer.commonName],
          ]
        : [];
      const status = verdict.authentic ? PAGE_TEXT.authentic : `${PAGE_TEXT.notAuthentic}. ${verdict.reason === 'unknown' ? PAGE_TEXT.unknown : verdict.reason === 'changed' ? PAGE_TEXT.changed : PAGE_TEXT.badSignature}`;
      const html = verificationHtml(status, verdict.authentic, rows);
      res.status(verdict.authentic || verdict.reason !== 'unknown' ? 200 : 404).setHeader('Cache-Control', 'no-store').type('html').send(html);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/**
 * What the verification page says of a signed document its QR code names: authentic when the stored
 * CMS verifies (chain, validity, revocation) and carries exactly the stored PDF bytes.
 */
export async function signedDocumentAuthenticity(host: HostContext, instanceId: string, documentId: string): Promise<{ found: false } | { found: true; authentic: boolean; draft: SigningDraftRow; number?: string; message?: string; signerName?: string }> {
  const draft = await host.signingDrafts.byId(documentId);
  if (!draft || !draft.cms || (draft.rootInstanceId !== instanceId && draft.processInstanceId !== instanceId)) return { found: false };
  const task = await host.store.task(draft.taskId);
  if (task?.state !== 'completed') return { found: false };
  // The number the document was drawn with: the licence's (E-licensing gives it before the signature) or the refusal's.
  const root = await host.store.instance(draft.rootInstanceId);
  const variables = root ? (JSON.parse(root.variables) as Record<string, unknown>) : {};
  const numberOf = (name: string) => (typeof variables[name] === 'string' ? (variables[name] as string) : undefined);
  const number = draft.kind === 'refusal' ? numberOf('refusalNumber') : (numberOf('licenceNumber') ?? numberOf('refusalNumber'));
  const pdf = new Uint8Array(Buffer.from(draft.pdf, 'base64'));
  let content: Uint8Array;
  try {
    content = parseCms(new Uint8Array(Buffer.from(draft.cms, 'base64'))).content;
  } catch {
    return { found: true, authentic: false, draft, number, message: 'the stored signature is not a CMS' };
  }
  if (sha256Hex(pdf) !== draft.sha256 || !Buffer.from(content).equals(Buffer.from(pdf))) return { found: true, authentic: false, draft, number, message: CHANGED };
  if (!host.signatures) return { found: true, authentic: false, draft, number, message: 'no EDS verifier is configured' };
  const verdict = await (await host.signatures.verifier()).verify(draft.cms, undefined, host.clock.now());
  return { found: true, authentic: verdict.valid, draft, number, message: verdict.message, signerName: verdict.subject?.commonName };
}
