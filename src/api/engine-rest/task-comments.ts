import express, { Request, Router } from 'express';
import { z } from 'zod';
import type { CommentRow } from '../../persistence/api-store';
import type { AttachmentRow } from '../../runtime/attachments';
import { readUploadedFile, UploadTooLarge } from '../attachment-upload';
import { HostContext } from '../context';
import { commentableTask, storeComment } from '../routes/comments';
import { MAX_COMMENT_LENGTH } from '../schemas/collaboration';
import { parseInput } from '../validation';
import { CamundaError, camundaRefusal, invalidRequest } from './camunda-error';

/**
 * Camunda 7.24's task comment and attachment resources (TaskCommentResource, TaskAttachmentResource)
 * over the same stores, limits and visibility as /api's comments and attachments
 * (src/api/routes/comments.ts, attachments.ts): those who may see the case read and comment; the
 * holder of an open task attaches (PDF, JPEG, PNG or TIFF by content, at most ATTACHMENT_MAX_BYTES).
 * Operaton's webapps-neo calls them from its task page (frontend/src/api/resources/task.js:
 * get_comments, create_comment, get_attachments, create_attachment, attachment_url).
 *
 * A comment or an attachment is part of the case's record: neither is changed nor deleted here,
 * where Camunda allows both (docs/camunda-7.md lists the difference).
 */

/** Camunda's date format: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`. */
const camundaTime = (iso: string) => iso.replace(/Z$/, '+0000');

const newComment = z.object(
  {
    message: z
      .string({ error: 'message must be a string' })
      .trim()
      .min(1, { error: 'message must not be empty' })
      .max(MAX_COMMENT_LENGTH, { error: `message must be at most ${MAX_COMMENT_LENGTH} characters` }),
    processInstanceId: z.string({ error: 'processInstanceId must be a string' }).nullable().optional(),
  },
  { error: 'The body must be a JSON object { message, processInstanceId? }' },
);

const READ_ONLY_RECORD = 'are part of the case record on this server: they are never changed or deleted';

export function engineTaskCommentRoutes(host: HostContext): Router {
  const router = express.Router();
  const self = (req: Request, path: string) => [{ method: 'GET', href: `${(req.app.locals.publicUrl as () => string)()}${req.baseUrl}${path}`, rel: 'self' }];

  async function refusing<T>(act: () => Promise<T>): Promise<T> {
    try {
      return await act();
    } catch (error) {
      throw camundaRefusal(error);
    }
  }

  /** The task and its instance if the user may see its case (any state of the task, as on /api), else Camunda's 404. */
  function visibleTask(req: Request) {
    return refusing(() => commentableTask(host, req.params.id as string, req.user!));
  }

  function presentComment(row: CommentRow, links: unknown[] = []) {
    return { links, id: row.id, userId: row.userId, time: camundaTime(row.at), taskId: row.taskId, message: row.text, removalTime: null, rootProcessInstanceId: row.rootInstanceId, processInstanceId: row.processInstanceId };
  }

  function presentAttachment(row: AttachmentRow, links: unknown[] = []) {
    return { links, id: row.id, name: row.name, description: null, taskId: row.taskId, type: row.mediaType, url: null, createTime: camundaTime(row.uploadedAt), removalTime: null, rootProcessInstanceId: row.rootInstanceId };
  }

  router.get('/task/:id/comment', async (req, res) => {
    const { task } = await visibleTask(req);
    res.json((await host.store.taskComments(task.id)).map((row) => presentComment(row)));
  });

  router.get('/task/:id/comment/:commentId', async (req, res) => {
    const { task } = await visibleTask(req);
    const row = (await host.store.taskComments(task.id)).find((c) => c.id === req.params.commentId);
    if (!row) throw new CamundaError(404, 'InvalidRequestException', `Task comment with id ${req.params.commentId} does not exist for task id '${task.id}'.`);
    res.json(presentComment(row));
  });

  router.post('/task/:id/comment/create', async (req, res) => {
    const body = parseInput('body', newComment, req.body ?? {}, (message) => invalidRequest(message));
    const { task, instance } = await visibleTask(req);
    if (body.processInstanceId && body.processInstanceId !== task.processInstanceId) {
      throw invalidRequest(`Task '${task.id}' belongs to process instance '${task.processInstanceId}', not '${body.processInstanceId}'`);
    }
    const row = await storeComment(host, instance, task, body.message, req.user!);
    res.json(presentComment(row, self(req, `/task/${task.id}/comment/${row.id}`)));
  });

  const commentsStay = () => {
    throw new CamundaError(403, 'AuthorizationException', `Comments ${READ_ONLY_RECORD}`);
  };
  router.put('/task/:id/comment', commentsStay);
  router.delete('/task/:id/comment', commentsStay);
  router.delete('/task/:id/comment/:commentId', commentsStay);

  /** An attachment added at this task, if the user may see the case (visibleTask checks). */
  async function visibleAttachment(req: Request): Promise<AttachmentRow> {
    const { task } = await visibleTask(req);
    const attachment = await host.attachments.find(req.params.attachmentId as string);
    if (!attachment || attachment.taskId !== task.id) {
      throw new CamundaError(404, 'InvalidRequestException', `Task attachment with id ${req.params.attachmentId} does not exist for task id '${task.id}'.`);
    }
    return attachment;
  }

  router.get('/task/:id/attachment', async (req, res) => {
    const { task } = await visibleTask(req);
    res.json((await host.attachments.ofTask(task.id)).map((row) => presentAttachment(row)));
  });

  router.get('/task/:id/attachment/:attachmentId', async (req, res) => {
    res.json(presentAttachment(await visibleAttachment(req)));
  });

  router.get('/task/:id/attachment/:attachmentId/data', async (req, res) => {
    const attachment = await visibleAttachment(req);
    const content = await host.attachments.content(attachment.id);
    if (!content) throw new CamundaError(404, 'InvalidRequestException', `Attachment content for attachment with id '${attachment.id}' does not exist for task id '${attachment.taskId}'.`);
    res.attachment(attachment.name).type(attachment.mediaType);
    res.setHeader('Content-Length', String(content.length));
    res.send(content);
  });

  // Camunda's multipart: attachment-name, attachment-description, attachment-type and the file in
  // part `content` (or `url` for a link, which this server does not keep: documents are stored, not pointed at).
  router.post('/task/:id/attachment/create', async (req, res) => {
    const user = req.user!;
    // Who may is decided before a byte of the file is read, as on /api.
    const task = await refusing(() => host.attachments.assertMayAttach(req.params.id as string, user));
    if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
      req.resume();
      throw invalidRequest('Send the attachment as multipart/form-data: attachment-name, attachment-type and the document in the part "content"');
    }
    let file;
    try {
      file = await readUploadedFile(req, host.attachments.maxBytes, {
        part: 'content',
        onField: (name, value) => {
          if (name === 'url') return invalidRequest('This server keeps documents, not links: send the document itself in the part "content" (url attachments are not supported)');
          if (name === 'attachment-description' && value.trim() !== '') return invalidRequest('This server keeps no attachment descriptions: leave attachment-description empty and say it in a comment (POST /task/{id}/comment/create)');
          return undefined;
        },
      });
    } catch (error) {
      if (error instanceof UploadTooLarge) throw new CamundaError(413, 'InvalidRequestException', error.message);
      if (error instanceof CamundaError) throw error;
      // Camunda's words when neither a document nor a link came.
      if ((error as { code?: string }).code === 'ATTACHMENT_MISSING') throw invalidRequest('No content or url to remote content exists to create the task attachment.');
      throw camundaRefusal(error);
    }
    const fields = file.fields ?? {};
    const stored = await refusing(() =>
      host.attachments.attach(task.task.id, user, {
        name: fields['attachment-name']?.trim() || file.name,
        declaredType: fields['attachment-type']?.trim() || file.declaredType,
        content: file.content,
      }),
    );
    res.json(presentAttachment(stored, self(req, `/task/${stored.taskId}/attachment/${stored.id}`)));
  });

  router.delete('/task/:id/attachment/:attachmentId', () => {
    throw new CamundaError(403, 'AuthorizationException', `Attachments ${READ_ONLY_RECORD}`);
  });

  return router;
}
