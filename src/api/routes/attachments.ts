import { z } from 'zod';
import { maySeeCase } from '../../identity/access';
import { User } from '../../identity/users';
import type { InstanceRow } from '../../persistence/api-store';
import type { AttachmentRow } from '../../runtime/attachments';
import { readUploadedFile, UploadTooLarge } from '../attachment-upload';
import { HostContext } from '../context';
import { notFound } from '../errors';
import { ApiRoute, route } from '../route-table';
import { AttachmentSchema } from '../schemas/attachments';
import { caseScopeOf } from './cases';

const taskParam = z.object({ id: z.string().meta({ description: 'Task id' }) });
const instanceParam = z.object({ id: z.string().meta({ description: 'Instance id' }) });
const attachmentParam = z.object({ id: z.string().meta({ description: 'Attachment id' }) });

/**
 * Documents of an application: uploaded at a task by its holder while it is open, listed and
 * downloaded by those who may see the case (a case they may not see is a 404, as on the case page).
 */
export function attachmentRoutes(host: HostContext): ApiRoute[] {
  async function maySee(row: InstanceRow, user: User): Promise<boolean> {
    return maySeeCase(await caseScopeOf(host, user), row, () => host.store.applicationHasTaskOfGroups(row.id, user.groups));
  }

  async function present(rows: AttachmentRow[]) {
    const taskNames = new Map<string, string | null>();
    for (const id of new Set(rows.map((r) => r.taskId))) taskNames.set(id, (await host.store.task(id))?.name ?? null);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      mediaType: r.mediaType,
      size: r.size,
      sha256: r.sha256,
      uploadedBy: r.uploadedBy,
      uploadedByName: host.users.nameOf(r.uploadedBy),
      uploadedAt: r.uploadedAt,
      processInstanceId: r.processInstanceId,
      taskId: r.taskId,
      taskDefinitionKey: r.taskDefinitionKey,
      taskName: taskNames.get(r.taskId) ?? null,
      download: `/api/attachments/${encodeURIComponent(r.id)}/content`,
    }));
  }

  return [
    route({
      method: 'post',
      path: '/tasks/:id/attachments',
      summary: "Attach a document to a task's application (its holder, while it is open): PDF, JPEG, PNG or TIFF by content, the declared type agreeing, at most ATTACHMENT_MAX_BYTES",
      params: taskParam,
      multipartFile: 'The document (one file per request); its part Content-Type must be the type its content is',
      responses: {
        201: { description: 'Stored with the task that added it', schema: AttachmentSchema },
        409: { description: 'The task is held by someone else, or no longer open' },
        413: { description: 'Larger than ATTACHMENT_MAX_BYTES; nothing stored' },
      },
      async handle({ params, user, req, res }) {
        // Who may is decided before a byte of the file is read.
        await host.attachments.assertMayAttach(params.id, user);
        let file;
        try {
          file = await readUploadedFile(req, host.attachments.maxBytes);
        } catch (error) {
          if (!(error instanceof UploadTooLarge)) throw error;
          res.status(413).json({ error: { code: error.code, message: error.message, details: error.details } });
          return;
        }
        const stored = await host.attachments.attach(params.id, user, file);
        res.status(201);
        return (await present([stored]))[0];
      },
    }),
    route({
      method: 'get',
      path: '/process-instances/:id/attachments',
      summary: "The documents attached to a case (an application, its called flows' included), oldest first",
      params: instanceParam,
      responses: { 200: { description: 'OK', schema: z.array(AttachmentSchema) } },
      async handle({ params, user }) {
        const row = await host.store.instance(params.id);
        if (!row || !(await maySee(row, user))) throw notFound(`No process instance with id "${params.id}"`);
        // A called flow's page lists the documents of the whole application.
        return present(await host.attachments.ofApplication(row.rootInstanceId ?? row.id));
      },
    }),
    route({
      method: 'get',
      path: '/attachments/:id/content',
      summary: 'The bytes of an attached document, with its stored type and its name in Content-Disposition',
      params: attachmentParam,
      responses: { 200: { description: 'The document, as stored (application/pdf, image/jpeg, image/png or image/tiff)', mediaType: 'application/octet-stream' } },
      async handle({ params, user, res }) {
        const attachment = await host.attachments.find(params.id);
        const instance = attachment ? await host.store.instance(attachment.processInstanceId) : null;
        if (!attachment || !instance || !(await maySee(instance, user))) throw notFound(`No attachment with id "${params.id}"`);
        const content = await host.attachments.content(attachment.id);
        if (!content) throw notFound(`No attachment with id "${params.id}"`);
        // attachment() first: it would take the type from the name.
        res.attachment(attachment.name).type(attachment.mediaType);
        res.setHeader('Content-Length', String(content.length));
        res.setHeader('Digest', `sha-256=${Buffer.from(attachment.sha256, 'hex').toString('base64')}`);
        res.send(content);
      },
    }),
  ];
}
