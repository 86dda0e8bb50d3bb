/** Small files of each allowed format (their signatures and some bytes), and helpers to upload them. */
import { tokenOf } from './test-host';

export const SAMPLE_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
export const SAMPLE_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(300, 7), Buffer.from([0xff, 0xd9])]);
export const SAMPLE_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const SAMPLE_TIFF = Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]), Buffer.alloc(64, 2)]);

export interface UploadPart {
  name: string;
  type: string;
  content: Buffer;
  /** The multipart field (default "file"). */
  field?: string;
}

/** POST /api/tasks/:id/attachments as multipart/form-data, the way a browser's FormData sends it. */
export async function uploadAttachment(url: string, user: string, taskId: string, part: UploadPart): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append(part.field ?? 'file', new Blob([part.content], { type: part.type }), part.name);
  const response = await fetch(`${url}/api/tasks/${encodeURIComponent(taskId)}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf(user)}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
