import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { signCmsBase64 } from '../../crypto/cms';
import { makeBin, makeIin } from '../../iin-bin';
import type { CertificationAuthority, IssuedCertificate } from '../eds/ca-simulator';
import type { GbdState } from '../gbd/simulator';
import type { PaymentGatewayState } from '../payment-gateway/simulator';

/*
 * Demo applicants and the portal simulator's demo page: a newcomer picks an applicant and a service
 * and the simulator does what the applicant's browser and NCALayer do on www.egov.kz — signs the
 * request with the applicant's key (here a test key of the CA simulator, held server-side) — and
 * hands the signed application to the server's portal intake (POST /api/process-definitions/{key}/start
 * with channel "portal"), as the scripts and tests do. Only the default run and tests wire it.
 */

export interface DemoApplicant {
  id: string;
  kind: 'individual' | 'legal-entity';
  iinBin: string;
  name: string;
  certificate: IssuedCertificate;
}

type Texts = { kk: string; ru: string };

export interface DemoService {
  key: string;
  name: Texts;
  /** The start form's values besides the applicant's and the channel: the request a portal user fills in. */
  form: (kind: DemoApplicant['kind']) => Record<string, unknown>;
}

/** Portal services of processes/ a newcomer can try (their names as processes/i18n has them). */
export const DEMO_SERVICES: DemoService[] = [
  {
    key: 'cotton-warehouse-license',
    name: {
      kk: 'Мақта қолхаттарын беру арқылы қойма қызметі бойынша қызметтер көрсетуге лицензия беру',
      ru: 'Выдача лицензии на оказание услуг по складской деятельности с выпуском хлопковых расписок',
    },
    form: (kind) => ({ variant: 'issue', resultForm: 'electronic', applicantKind: kind }),
  },
  {
    key: 'weapon-activity-license',
    name: {
      kk: 'Азаматтық және қызметтік қару мен оның патрондарын әзірлеу, өндіру, жөндеу, сату жөніндегі қызметке лицензия беру',
      ru: 'Выдача лицензии на деятельность по разработке, производству, ремонту, торговле гражданским и служебным оружием и патронами к нему',
    },
    form: (kind) => ({ variant: 'issue', resultForm: 'electronic', applicantKind: kind }),
  },
  {
    key: 'survey-activity-license',
    name: { kk: 'Іздестіру қызметіне лицензия беру', ru: 'Выдача лицензии на изыскательскую деятельность' },
    form: () => ({ variant: 'issue' }),
  },
];

/** The same demo people every run (valid control digits), so a newcomer recognises them. */
const DEMO_PEOPLE: { id: string; kind: DemoApplicant['kind']; iinBin: string; name: string }[] = [
  { id: 'individual', kind: 'individual', iinBin: makeIin(new Date(Date.UTC(1992, 3, 14)), 'female', 1201), name: 'Сейітова Әлия Нұрланқызы' },
  { id: 'legal-entity', kind: 'legal-entity', iinBin: makeBin(new Date(Date.UTC(2016, 8, 1)), 2701), name: '«Ақ Мақта Демо» ЖШС' },
];

/** What the demo applicants are seeded into: the simulators' own seeding functions. */
export interface DemoSimulators {
  ca: CertificationAuthority;
  portal: { addUser(iinBin: string, name?: string): unknown };
  gbd: GbdState;
  payments: PaymentGatewayState;
}

/**
 * Seeds the demo applicants: registered portal users, present in GBD FL (the individual) or GBD UL
 * (the legal entity), with a signing certificate and key from the CA simulator and the fee paid for
 * every demo service.
 */
export async function seedDemoApplicants(simulators: DemoSimulators, services: readonly DemoService[] = DEMO_SERVICES): Promise<DemoApplicant[]> {
  const applicants: DemoApplicant[] = [];
  for (const person of DEMO_PEOPLE) {
    simulators.portal.addUser(person.iinBin, person.name);
    if (person.kind === 'legal-entity') simulators.gbd.addCompany(person.iinBin, person.name);
    else simulators.gbd.addPerson(person.iinBin, person.name);
    for (const service of services) simulators.payments.markPaid(person.iinBin, service.key, 0);
    const subject = person.kind === 'legal-entity' ? { commonName: person.name, organization: person.name, bin: person.iinBin } : { commonName: person.name, iin: person.iinBin };
    const certificate = await simulators.ca.issue({ subject, algorithm: 'RSA', validDays: 365 });
    applicants.push({ ...person, certificate });
  }
  return applicants;
}

/** Where the demo page sends the signed applications: our server and an account allowed to start them. */
export interface PortalIntake {
  /** The server's base URL (its API under /api, the web app's case pages under /instances). */
  serverUrl: string;
  token: string;
}

export interface PortalDemo {
  applicants: DemoApplicant[];
  services: readonly DemoService[];
  intake: PortalIntake;
}

const TEXT = {
  title: { kk: 'Порталдан өтініш беру (демо)', ru: 'Подать заявление через портал (демо)' },
  intro: {
    kk: 'Бұл – www.egov.kz порталының симуляторы. Демо өтініш берушіні таңдаңыз, содан кейін қызметті таңдаңыз: сұрау салу өтініш берушінің сынақ ЭЦҚ кілтімен қол қойылып, серверге жіберіледі.',
    ru: 'Это симулятор портала www.egov.kz. Выберите демо-заявителя, затем услугу: запрос будет подписан тестовым ключом ЭЦП заявителя и отправлен на сервер.',
  },
  applicant: { kk: '1. Өтініш беруші', ru: '1. Заявитель' },
  service: { kk: '2. Қызмет (басу – өтінішті қол қойып жіберу)', ru: '2. Услуга (нажатие – подписать и отправить заявление)' },
  individual: { kk: 'жеке тұлға, ЖСН', ru: 'физическое лицо, ИИН' },
  legalEntity: { kk: 'заңды тұлға, БСН', ru: 'юридическое лицо, БИН' },
  submit: { kk: 'Қол қою және жіберу', ru: 'Подписать и отправить' },
  accepted: { kk: 'Өтініш қабылданды', ru: 'Заявление принято' },
  refused: { kk: 'Сервер өтінішті қабылдамады', ru: 'Сервер не принял заявление' },
  caseLink: { kk: 'Іс веб-қосымшада', ru: 'Дело в веб-приложении' },
  again: { kk: 'Тағы бір өтініш', ru: 'Ещё одно заявление' },
  notConfigured: { kk: 'Демо бапталмаған: серверді `npm run serve` арқылы іске қосыңыз.', ru: 'Демо не настроено: запустите сервер командой `npm run serve`.' },
  pickApplicant: { kk: 'Алдымен өтініш берушіні таңдаңыз.', ru: 'Сначала выберите заявителя.' },
  caseNumber: { kk: 'Іс нөмірі', ru: 'Номер дела' },
};

type Lang = 'kk' | 'ru';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(lang: Lang, body: string): string {
  const other: Lang = lang === 'kk' ? 'ru' : 'kk';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(TEXT.title[lang])}</title>
<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.4}fieldset{margin:1rem 0}label{display:block;margin:.4rem 0}button{display:block;margin:.4rem 0;padding:.5rem .8rem;text-align:left;width:100%}.refused{color:#a00}</style></head>
<body><p><a href="/demo?lang=${other}" data-lang="${other}">${other === 'kk' ? 'Қазақша' : 'Русский'}</a></p><h1>${escapeHtml(TEXT.title[lang])}</h1>${body}</body></html>`;
}

/**
 * GET /demo?lang=kk|ru: the page; POST /demo/submit (applicant, service, lang, formToken): signs and
 * submits, then shows the case number and a link to the case, or the server's refusal. The form
 * token is this process's own, so another site cannot make a visitor's browser file applications.
 */
export function portalDemoRoutes(state: { demo?: PortalDemo }): express.Router {
  const router = express.Router();
  const formToken = randomBytes(16).toString('hex');
  const langOf = (value: unknown): Lang => (value === 'ru' ? 'ru' : 'kk');

  router.get('/demo', (req, res) => {
    const lang = langOf(req.query.lang);
    const demo = state.demo;
    if (!demo) {
      res.type('html').send(page(lang, `<p>${escapeHtml(TEXT.notConfigured[lang])}</p>`));
      return;
    }
    const applicants = demo.applicants
      .map((a) => `<label><input type="radio" name="applicant" value="${escapeHtml(a.id)}" data-applicant="${escapeHtml(a.id)}" required> ${escapeHtml(a.name)} (${escapeHtml(a.kind === 'legal-entity' ? TEXT.legalEntity[lang] : TEXT.individual[lang])} ${escapeHtml(a.iinBin)})</label>`)
      .join('');
    const services = demo.services.map((s) => `<button type="submit" name="service" value="${escapeHtml(s.key)}" data-service="${escapeHtml(s.key)}">${escapeHtml(s.name[lang])}</button>`).join('');
    res.type('html').send(
      page(
        lang,
        `<p>${escapeHtml(TEXT.intro[lang])}</p><form method="post" action="/demo/submit"><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="formToken" value="${formToken}">
<fieldset><legend>${escapeHtml(TEXT.applicant[lang])}</legend>${applicants}</fieldset><fieldset><legend>${escapeHtml(TEXT.service[lang])}</legend>${services}</fieldset></form>`,
      ),
    );
  });

  router.post('/demo/submit', express.urlencoded({ extended: false, limit: '10kb' }), async (req, res, next) => {
    try {
      const lang = langOf(req.body?.lang);
      const demo = state.demo;
      const refuse = (status: number, message: string) => res.status(status).type('html').send(page(lang, `<p class="refused" data-result="refused">${escapeHtml(TEXT.refused[lang])}: ${escapeHtml(message)}</p><p><a href="/demo?lang=${lang}">${escapeHtml(TEXT.again[lang])}</a></p>`));
      if (!demo) return refuse(503, TEXT.notConfigured[lang]);
      if (req.body?.formToken !== formToken) return refuse(403, 'the form is not this portal simulator’s (reload the demo page)');
      const applicant = demo.applicants.find((a) => a.id === req.body?.applicant);
      const service = demo.services.find((s) => s.key === req.body?.service);
      if (!applicant) return refuse(400, TEXT.pickApplicant[lang]);
      if (!service) return refuse(400, `unknown service ${String(req.body?.service ?? '')}`);

      const submitted = await submitApplication(demo.intake, applicant, service);
      if (!submitted.ok) return refuse(502, submitted.message);
      const caseUrl = `${demo.intake.serverUrl}/instances/${encodeURIComponent(submitted.instanceId)}`;
      res
        .status(201)
        .type('html')
        .send(
          page(
            lang,
            `<p data-result="accepted"><strong>${escapeHtml(TEXT.accepted[lang])}</strong>: ${escapeHtml(service.name[lang])}, ${escapeHtml(applicant.name)}</p>
<p>${escapeHtml(TEXT.caseNumber[lang])}: <span data-business-key>${escapeHtml(submitted.businessKey)}</span></p>
<p><a href="${escapeHtml(caseUrl)}" data-case-link data-instance-id="${escapeHtml(submitted.instanceId)}">${escapeHtml(TEXT.caseLink[lang])}</a></p><p><a href="/demo?lang=${lang}">${escapeHtml(TEXT.again[lang])}</a></p>`,
          ),
        );
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/** The signed request, as NCALayer would produce it in the applicant's browser, handed to the server's portal intake. */
export async function submitApplication(intake: PortalIntake, applicant: DemoApplicant, service: DemoService): Promise<{ ok: true; instanceId: string; businessKey: string } | { ok: false; message: string }> {
  const requestedAt = new Date();
  const businessKey = `PORTAL-${requestedAt.toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8).toUpperCase()}`;
  const content = JSON.stringify({ service: service.key, applicantIinBin: applicant.iinBin, applicantName: applicant.name, applicantKind: applicant.kind, requestedAt: requestedAt.toISOString() });
  const signedRequest = await signCmsBase64(content, { privateKey: applicant.certificate.privateKey, certificate: applicant.certificate.certificate }, requestedAt);
  const variables = { ...service.form(applicant.kind), channel: 'portal', applicantIinBin: applicant.iinBin, applicantName: applicant.name, signedRequest };
  let response: Response;
  try {
    response = await fetch(`${intake.serverUrl}/api/process-definitions/${encodeURIComponent(service.key)}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${intake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ businessKey, variables }),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    return { ok: false, message: `the server at ${intake.serverUrl} cannot be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 201 || typeof body?.id !== 'string') return { ok: false, message: `HTTP ${response.status}: ${body?.error?.message ?? text.slice(0, 300)}` };
  return { ok: true, instanceId: body.id, businessKey };
}
