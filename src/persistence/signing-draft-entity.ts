import { EntitySchema } from 'typeorm';

/**
 * The document a person signs at a signing step (issue 17 point 6): the PDF the server rendered when
 * the step was first opened, kept as bytes (base64) so that the preview and the signature are over
 * the same bytes whatever fonts or clock do later; and, once signed, the signer's CMS over them.
 * One per task. A row with a CMS counts as signed only when its task was completed (the completion
 * and its history row are committed after the CMS is written; a failed completion clears it).
 */
export interface SigningDraftRow {
  taskId: string;
  /** 64 hex digits, random: the document's id in its verification URL (printed in the PDF's QR code). */
  id: string;
  processInstanceId: string;
  /** The application (top-level instance). */
  rootInstanceId: string;
  taskDefinitionKey: string;
  /** The kind of document (licence, refusal, ...) the step's `signs` property names. */
  kind: string;
  /** Hex SHA-256 of the PDF bytes. */
  sha256: string;
  /** The PDF, base64. */
  pdf: string;
  createdAt: string;
  /** The CMS (base64 DER, the PDF attached) of the person who signed; null while unsigned. */
  cms: string | null;
  signedBy: string | null;
  signerIin: string | null;
  signedAt: string | null;
}

export const SigningDraftEntity = new EntitySchema<SigningDraftRow>({
  name: 'SigningDraft',
  tableName: 'signing_drafts',
  columns: {
    taskId: { type: 'varchar', length: 64, primary: true },
    id: { type: 'varchar', length: 64 },
    processInstanceId: { type: 'varchar', length: 64 },
    rootInstanceId: { type: 'varchar', length: 64 },
    taskDefinitionKey: { type: 'varchar', length: 128 },
    kind: { type: 'varchar', length: 32 },
    sha256: { type: 'varchar', length: 64 },
    pdf: { type: 'text' },
    createdAt: { type: 'varchar', length: 24 },
    cms: { type: 'text', nullable: true },
    signedBy: { type: 'varchar', length: 100, nullable: true },
    signerIin: { type: 'varchar', length: 12, nullable: true },
    signedAt: { type: 'varchar', length: 24, nullable: true },
  },
  indices: [
    { name: 'ix_signing_draft_id', columns: ['id'], unique: true },
    { name: 'ix_signing_draft_root', columns: ['rootInstanceId', 'createdAt'] },
  ],
});
