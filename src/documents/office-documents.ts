/**
 * What the office prints and sends with a signed result (issue 17, point 5): the cover letter with
 * the outgoing registration (ілеспе хат: outgoing number and date, provider, applicant, what is
 * enclosed) and the paper copy of the result, which the head certifies with signature and seal. Both
 * in Kazakh or Russian, both with the QR code of the result's own verification page, so a paper in
 * the applicant's hands leads to the one signed original. Pure: the caller gathers the facts.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';
import { pdfKit } from './pdf-kit';
import { actWording, DocumentLanguage, documentDateTime, font, ResultDocumentFacts, TITLES, verificationQrPng, Writer, writeResultFields } from './result-pdf';

export const OFFICE_DOCUMENTS = ['cover-letter', 'paper-copy'] as const;
export type OfficeDocument = (typeof OFFICE_DOCUMENTS)[number];

export interface OfficeDocumentFacts extends ResultDocumentFacts {
  /** The provider as the signed result names it (the organization of its signing certificate). */
  provider?: string;
  /** The outgoing registration the host assigned (registry.assign-outgoing-number), where the act has one. */
  outgoing?: { number: string; registeredAt: string };
}

const LABELS = {
  kk: {
    coverLetter: 'ІЛЕСПЕ ХАТ',
    outgoingNumber: 'Шығыс нөмірі',
    outgoingDate: 'Шығыс күні',
    noOutgoing: 'Актіде шығыс хат-хабарын тіркеу көзделмеген',
    provider: 'Қызмет беруші',
    to: 'Кімге',
    iinBin: 'ЖСН/БСН',
    registration: 'Өтініштің тіркеу нөмірі',
    body: (service: string) => `«${service}» мемлекеттік көрсетілетін қызметінің нәтижесі қағаз тасығышта жолданады.`,
    enclosure: 'Қосымша',
    enclosed: (title: string, number: string | undefined, date: string) => `${title}${number ? ` № ${number}` : ''}, ${date}, 1 данада`,
    basis: 'Негіз',
    head: 'Қызмет беруші басшысы',
    signature: '(қолы)',
    seal: 'М.О.',
    paperCopy: 'ҚАҒАЗ КӨШІРМЕ',
    paperCopyNote: 'Электрондық цифрлық қолтаңбамен қол қойылған электрондық құжаттың қағаз тасығыштағы көшірмесі; қызмет беруші басшысының қолымен және мөрімен куәландырылады.',
    signer: 'Электрондық түпнұсқаға қол қойған',
    signedAt: 'Қол қойылған уақыты',
    certified: 'Көшірме дұрыс',
    verify: 'Түпнұсқалығын тексеру',
  },
  ru: {
    coverLetter: 'СОПРОВОДИТЕЛЬНОЕ ПИСЬМО',
    outgoingNumber: 'Исходящий номер',
    outgoingDate: 'Дата исходящего',
    noOutgoing: 'Регистрация исходящей корреспонденции актом не предусмотрена',
    provider: 'Услугодатель',
    to: 'Кому',
    iinBin: 'ИИН/БИН',
    registration: 'Регистрационный номер заявления',
    body: (service: string) => `Направляется результат оказания государственной услуги «${service}» на бумажном носителе.`,
    enclosure: 'Приложение',
    enclosed: (title: string, number: string | undefined, date: string) => `${title}${number ? ` № ${number}` : ''} от ${date}, в 1 экземпляре`,
    basis: 'Основание',
    head: 'Руководитель услугодателя',
    signature: '(подпись)',
    seal: 'М.П.',
    paperCopy: 'БУМАЖНАЯ КОПИЯ',
    paperCopyNote: 'Копия на бумажном носителе электронного документа, подписанного электронной цифровой подписью; заверяется подписью и печатью руководителя услугодателя.',
    signer: 'Электронный оригинал подписан',
    signedAt: 'Время подписания',
    certified: 'Копия верна',
    verify: 'Проверка подлинности',
  },
} as const;

/** The title of a result kind in sentence case, as an enclosure names it (ЛИЦЕНЗИЯ → Лицензия). */
function enclosureTitle(title: string): string {
  return title.charAt(0) + title.slice(1).toLocaleLowerCase('kk');
}

function date(iso: string): string {
  return documentDateTime(iso).slice(0, 10);
}

/** The head's signature line and the place of the seal, for the head to sign and stamp on paper. */
function signatureBlock(page: PDFPage, f: PDFFont, w: Writer, left: number, labels: (typeof LABELS)[DocumentLanguage]): void {
  const { rgb } = pdfKit().pdf;
  w.gap(18);
  const y = w.y;
  page.drawText(labels.head, { x: left, y, size: 11, font: f });
  const lineX = left + f.widthOfTextAtSize(labels.head, 11) + 12;
  page.drawLine({ start: { x: lineX, y: y - 2 }, end: { x: lineX + 140, y: y - 2 }, thickness: 0.6, color: rgb(0, 0, 0) });
  page.drawText(labels.signature, { x: lineX + 45, y: y - 12, size: 8, font: f, color: rgb(0.35, 0.35, 0.35) });
  page.drawText(labels.seal, { x: lineX + 170, y, size: 11, font: f });
  page.drawCircle({ x: lineX + 185, y: y + 4, size: 34, borderWidth: 0.6, borderColor: rgb(0.6, 0.6, 0.6), borderDashArray: [3, 3] });
  w.y -= 48;
}

function drawCoverLetter(page: PDFPage, f: PDFFont, w: Writer, facts: OfficeDocumentFacts, language: DocumentLanguage, left: number): void {
  const labels = LABELS[language];
  w.field(labels.provider, facts.provider);
  if (facts.outgoing) {
    w.field(labels.outgoingNumber, facts.outgoing.number);
    w.field(labels.outgoingDate, date(facts.outgoing.registeredAt));
  } else w.text(labels.noOutgoing, 9, { gray: true });
  w.gap(8);
  w.field(labels.to, [facts.applicant.name, facts.applicant.iinBin && `${labels.iinBin} ${facts.applicant.iinBin}`].filter(Boolean).join(', ') || undefined);
  w.field(labels.registration, facts.registrationNumber);
  w.gap(12);
  w.text(labels.coverLetter, 14, { center: true });
  w.gap(8);
  w.text(labels.body(facts.serviceTitle));
  w.gap(6);
  w.text(`${labels.enclosure}: ${labels.enclosed(enclosureTitle(TITLES[language][facts.kind]), facts.number, date(facts.signedAt ?? facts.issuedAt))}.`);
  w.gap(6);
  w.text(`${labels.basis}: ${actWording(language, facts.serviceTitle, facts.act)}`, 10);
  signatureBlock(page, f, w, left, labels);
}

function drawPaperCopy(page: PDFPage, f: PDFFont, w: Writer, facts: OfficeDocumentFacts, language: DocumentLanguage, left: number): void {
  const labels = LABELS[language];
  w.text(labels.paperCopy, 10, { center: true, gray: true });
  w.gap(4);
  writeResultFields(w, facts, language);
  w.gap();
  const signer = [facts.signer.commonName, facts.signer.organization].filter(Boolean).join(', ');
  w.field(labels.signer, signer || undefined);
  w.field(labels.signedAt, facts.signedAt ? documentDateTime(facts.signedAt) : undefined);
  if (facts.outgoing) w.field(labels.outgoingNumber, `${facts.outgoing.number}, ${date(facts.outgoing.registeredAt)}`);
  w.gap(6);
  w.text(labels.paperCopyNote, 9, { gray: true });
  w.gap(6);
  w.text(labels.certified, 11);
  signatureBlock(page, f, w, left, labels);
}

/** One office document (`document`) of a signed result in `language`, one A4 page. */
export async function renderOfficeDocumentPdf(document: OfficeDocument, facts: OfficeDocumentFacts, language: DocumentLanguage): Promise<Uint8Array> {
  const { pdf, fontkit } = pdfKit();
  const doc = await pdf.PDFDocument.create();
  doc.registerFontkit(fontkit);
  const f = await doc.embedFont(font(), { subset: true });
  const qr = await doc.embedPng(await verificationQrPng(facts.verifyUrl));
  const page = doc.addPage([595.28, 841.89]);
  const margin = 56;
  const w = new Writer(page, f, margin, page.getWidth() - 2 * margin, page.getHeight() - margin);
  if (document === 'cover-letter') drawCoverLetter(page, f, w, facts, language, margin);
  else drawPaperCopy(page, f, w, facts, language, margin);

  const side = 110;
  page.drawImage(qr, { x: margin, y: w.y - side, width: side, height: side });
  w.y -= side + 12;
  w.text(`${LABELS[language].verify}: ${facts.verifyUrl}`, 8, { gray: true });

  // Fixed metadata: the same case gives the same document text and dates.
  const at = new Date(facts.outgoing?.registeredAt ?? facts.signedAt ?? facts.issuedAt);
  const title = document === 'cover-letter' ? `${LABELS[language].coverLetter} ${facts.outgoing?.number ?? ''}` : `${LABELS[language].paperCopy}: ${TITLES[language][facts.kind]} ${facts.number ?? ''}`;
  doc.setTitle(title.trim());
  doc.setLanguage(language);
  doc.setProducer('Reglament');
  doc.setCreator('Reglament');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return doc.save({ useObjectStreams: false });
}
