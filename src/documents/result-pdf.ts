/**
 * The printable result of a reglament (licence, permit, certificate, attestat, notification or
 * motivated refusal) as a PDF in Kazakh or Russian: the act's wording, the applicant, the number,
 * the date, who signed the electronic original and when (read from its CMS by the caller), and a QR
 * code of the verification page. Pure: the caller gathers the facts, this only lays them out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { PDFDocument, PDFFont, PDFImage, PDFPage } from 'pdf-lib';
import { pdfKit } from './pdf-kit';

export const DOCUMENT_LANGUAGES = ['kk', 'ru'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export const RESULT_KINDS = ['licence', 'permit', 'certificate', 'attestat', 'notification', 'refusal'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export interface ActWording {
  /** Issuing body in the document's language. */
  body: string;
  kind: 'order' | 'resolution' | 'decree' | 'law';
  number: string;
  /** ISO date. */
  date: string;
  registration?: string;
}

export interface ResultDocumentFacts {
  kind: ResultKind;
  /** The reglament's (state service's) title in the document's language. */
  serviceTitle: string;
  act?: ActWording;
  /** The number E-licensing or the host gave the result (licence or refusal number). */
  number?: string;
  registrationNumber?: string;
  applicant: { name?: string; iinBin?: string };
  refusalReason?: string;
  /** A notification of testing (expert-attestation step 4): when (ISO) and where the recipient sits the test. */
  testDate?: string;
  testPlace?: string;
  /** When the result was formed (ISO). */
  issuedAt: string;
  signer: { commonName?: string; organization?: string; iinBin?: string };
  /** The signing time of the CMS (ISO). */
  signedAt?: string;
  /** The paper copy the office sends. */
  paperCopy?: boolean;
  verifyUrl: string;
}

export const TITLES: Record<DocumentLanguage, Record<ResultKind, string>> = {
  kk: {
    licence: 'ЛИЦЕНЗИЯ',
    permit: 'РҰҚСАТ',
    certificate: 'СЕРТИФИКАТ',
    attestat: 'АТТЕСТАТ',
    notification: 'ХАБАРЛАМА',
    refusal: 'МЕМЛЕКЕТТІК ҚЫЗМЕТ КӨРСЕТУДЕН ДӘЛЕЛДІ БАС ТАРТУ',
  },
  ru: {
    licence: 'ЛИЦЕНЗИЯ',
    permit: 'РАЗРЕШЕНИЕ',
    certificate: 'СЕРТИФИКАТ',
    attestat: 'АТТЕСТАТ',
    notification: 'УВЕДОМЛЕНИЕ',
    refusal: 'МОТИВИРОВАННЫЙ ОТКАЗ В ОКАЗАНИИ ГОСУДАРСТВЕННОЙ УСЛУГИ',
  },
};

const LABELS = {
  kk: {
    service: 'Мемлекеттік көрсетілетін қызмет',
    number: 'Нөмірі',
    registration: 'Өтініштің тіркеу нөмірі',
    date: 'Берілген күні',
    applicant: 'Қызмет алушы',
    iinBin: 'ЖСН/БСН',
    reason: 'Бас тарту себебі',
    testDate: 'Тест тапсыру күні мен уақыты',
    testPlace: 'Тест тапсыру орны',
    basis: 'Негіз',
    signer: 'Электрондық цифрлық қолтаңбамен қол қойған',
    signedAt: 'Қол қойылған уақыты',
    paper: 'Кеңсе жіберетін қағаз көшірме',
    verify: 'Түпнұсқалығын тексеру',
  },
  ru: {
    service: 'Государственная услуга',
    number: 'Номер',
    registration: 'Регистрационный номер заявления',
    date: 'Дата выдачи',
    applicant: 'Услугополучатель',
    iinBin: 'ИИН/БИН',
    reason: 'Причина отказа',
    testDate: 'Дата и время тестирования',
    testPlace: 'Место тестирования',
    basis: 'Основание',
    signer: 'Подписано электронной цифровой подписью',
    signedAt: 'Время подписания',
    paper: 'Бумажная копия, направляемая канцелярией',
    verify: 'Проверка подлинности',
  },
} satisfies Record<DocumentLanguage, Record<string, string>>;

const ACT_KIND_WORDS: Record<DocumentLanguage, Record<ActWording['kind'], string>> = {
  kk: { order: 'бұйрығымен', resolution: 'қаулысымен', decree: 'жарлығымен', law: 'заңымен' },
  ru: { order: 'приказом', resolution: 'постановлением', decree: 'указом', law: 'законом' },
};

/** The act's wording of the basis: the reglament approved by the act (Kazakh word order, Russian word order). */
export function actWording(language: DocumentLanguage, serviceTitle: string, act: ActWording | undefined): string {
  const date = act ? DateTime.fromISO(act.date).toFormat('dd.MM.yyyy') : '';
  if (language === 'kk') {
    const approved = act ? `${act.body} ${date} № ${act.number} ${ACT_KIND_WORDS.kk[act.kind]} бекітілген ` : '';
    return `${approved}«${serviceTitle}» мемлекеттік көрсетілетін қызмет регламенті${act?.registration ? ` (нормативтік құқықтық актілерді мемлекеттік тіркеу № ${act.registration})` : ''}`;
  }
  const approved = act ? `, утверждённый ${ACT_KIND_WORDS.ru[act.kind]} ${act.body} от ${date} № ${act.number}` : '';
  return `Регламент государственной услуги «${serviceTitle}»${approved}${act?.registration ? ` (государственная регистрация № ${act.registration})` : ''}`;
}

/** Almaty time, as every date the office shows. */
export function documentDateTime(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone('Asia/Almaty').toFormat('dd.MM.yyyy HH:mm');
}

let fontBytes: Uint8Array | undefined;
/** DejaVu Sans (Bitstream Vera licence, see node_modules/dejavu-fonts-ttf/LICENSE): it has every Kazakh Cyrillic letter. */
export function font(): Uint8Array {
  fontBytes ??= new Uint8Array(fs.readFileSync(path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf')));
  return fontBytes;
}

/** The QR code of the verification URL as a PNG (the PDF embeds exactly these bytes). */
export function verificationQrPng(url: string): Promise<Buffer> {
  return pdfKit().qrcode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 });
}

function wrap(text: string, f: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && f.widthOfTextAtSize(candidate, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    lines.push(line);
  }
  return lines;
}

export class Writer {
  y: number;
  constructor(
    private readonly page: PDFPage,
    private readonly f: PDFFont,
    private readonly left: number,
    private readonly width: number,
    top: number,
  ) {
    this.y = top;
  }
  text(text: string, size = 11, options: { center?: boolean; gray?: boolean } = {}): void {
    const { rgb } = pdfKit().pdf;
    for (const line of wrap(text, this.f, size, this.width)) {
      const x = options.center ? this.left + (this.width - this.f.widthOfTextAtSize(line, size)) / 2 : this.left;
      this.page.drawText(line, { x, y: this.y, size, font: this.f, color: options.gray ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0) });
      this.y -= size * 1.4;
    }
  }
  field(label: string, value: string | undefined): void {
    if (value === undefined || value === '') return;
    this.text(`${label}: ${value}`);
  }
  gap(points = 8): void {
    this.y -= points;
  }
}

/** The PDF of a result document in `language`. */
export function renderResultPdf(facts: ResultDocumentFacts, language: DocumentLanguage): Promise<Uint8Array> {
  return renderDocumentPdf([{ facts, language }]);
}

/**
 * One PDF with a page per language (the draft a signer sees and signs has a Kazakh and a Russian
 * page, each with the service's title in its language, so that one signature covers both texts).
 */
export async function renderDocumentPdf(pages: readonly { facts: ResultDocumentFacts; language: DocumentLanguage }[]): Promise<Uint8Array> {
  if (pages.length === 0) throw new Error('A document needs at least one page');
  const { pdf, fontkit } = pdfKit();
  const doc = await pdf.PDFDocument.create();
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(font(), { subset: true });
  const qrs = new Map<string, PDFImage>();
  for (const { facts, language } of pages) {
    if (!qrs.has(facts.verifyUrl)) qrs.set(facts.verifyUrl, await doc.embedPng(await verificationQrPng(facts.verifyUrl)));
    drawResultPage(doc, f, qrs.get(facts.verifyUrl)!, facts, language);
  }

  // Fixed metadata: the same facts give the same document text and dates.
  const { facts, language } = pages[0];
  const at = new Date(facts.signedAt ?? facts.issuedAt);
  doc.setTitle(`${TITLES[language][facts.kind]} ${facts.number ?? ''}`.trim());
  doc.setLanguage(language);
  doc.setProducer('Reglament');
  doc.setCreator('Reglament');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return doc.save({ useObjectStreams: false });
}

/** The result's title and facts down to the act it rests on: the same on the result and on its paper copy. */
export function writeResultFields(w: Writer, facts: ResultDocumentFacts, language: DocumentLanguage): void {
  const labels = LABELS[language];
  w.text(TITLES[language][facts.kind], 16, { center: true });
  w.gap(12);
  w.field(labels.service, `«${facts.serviceTitle}»`);
  w.field(labels.number, facts.number);
  w.field(labels.registration, facts.registrationNumber);
  w.field(labels.date, documentDateTime(facts.issuedAt));
  w.field(labels.applicant, facts.applicant.name);
  w.field(labels.iinBin, facts.applicant.iinBin);
  if (facts.kind === 'refusal') w.field(labels.reason, facts.refusalReason);
  if (facts.kind === 'notification') {
    // The recipient comes at a local hour: say the offset, so the hour cannot be read in another zone.
    w.field(labels.testDate, facts.testDate && DateTime.fromISO(facts.testDate, { zone: 'utc' }).setZone('Asia/Almaty').toFormat("dd.MM.yyyy HH:mm '(UTC'Z')'"));
    w.field(labels.testPlace, facts.testPlace);
  }
  w.gap();
  w.text(`${labels.basis}: ${actWording(language, facts.serviceTitle, facts.act)}`, 10);
}

function drawResultPage(doc: PDFDocument, f: PDFFont, qr: PDFImage, facts: ResultDocumentFacts, language: DocumentLanguage): void {
  const labels = LABELS[language];
  const page = doc.addPage([595.28, 841.89]);
  const margin = 56;
  const w = new Writer(page, f, margin, page.getWidth() - 2 * margin, page.getHeight() - margin);

  writeResultFields(w, facts, language);
  w.gap();
  const signer = [facts.signer.commonName, facts.signer.organization, facts.signer.iinBin && `${labels.iinBin} ${facts.signer.iinBin}`].filter(Boolean).join(', ');
  w.field(labels.signer, signer || undefined);
  w.field(labels.signedAt, facts.signedAt ? documentDateTime(facts.signedAt) : undefined);
  if (facts.paperCopy) w.text(labels.paper, 10, { gray: true });
  w.gap(12);

  const side = 120;
  page.drawImage(qr, { x: margin, y: w.y - side, width: side, height: side });
  w.y -= side + 12;
  w.text(`${labels.verify}: ${facts.verifyUrl}`, 8, { gray: true });
}
