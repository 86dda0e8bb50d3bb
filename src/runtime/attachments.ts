/**
 * Documents attached to an application at one of its tasks (issue 17, point 4). The Camunda 7 rule:
 * an attachment belongs to the task that added it and to its process instance from the moment it is
 * stored; completing the task later (or never) changes nothing about it. Attachments are not process
 * variables: no condition, form or handler reads them, so they never change the course of a case.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Clock } from '../clock';
import { conflict, notFound } from '../errors';
import { attachRefusal } from '../identity/access';
import { User } from '../identity/users';
import type { AttachmentRow } from '../persistence/attachment-entity';
import type { HistoryRow } from '../persistence/entities';
import type { InstanceStore, TaskWithGroups } from '../persistence/instance-store';
import { fileRefusal, sanitiseFileName, sniffMediaType } from './attachment-files';
import { historyRow } from './history';

export type { AttachmentRow };

/** Where attachments are kept: the row and its bytes are written together or not at all. */
export interface AttachmentRecords {
  /**
   * Stores the row, its bytes and its history row in one transaction, provided the task is still open
   * and held by `row.uploadedBy` or by nobody; false (nothing stored) when it no longer is.
   */
  add(row: AttachmentRow, content: Uint8Array, history: HistoryRow): Promise<boolean>;
  /** An application's attachments (its called flows' included), oldest first. */
  ofApplication(instanceId: string): Promise<AttachmentRow[]>;
  ofTask(taskId: string): Promise<AttachmentRow[]>;
  find(id: string): Promise<AttachmentRow | null>;
  content(id: string): Promise<Buffer | null>;
}

export interface NewAttachment {
  /** The name the client gave (sanitised here). */
  name: string;
  /** The Content-Type the client declared for the part. */
  declaredType: string;
  content: Uint8Array;
}

export const DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export class Attachments {
  constructor(
    private readonly options: {
      records: AttachmentRecords;
      instances: Pick<InstanceStore, 'task' | 'instance'>;
      clock: Clock;
      /** ATTACHMENT_MAX_BYTES: the largest file accepted. */
      maxBytes: number;
    },
  ) {}

  get maxBytes(): number {
    return this.options.maxBytes;
  }

  /** The task, if the user may attach to it now: asked before the upload is read, so a refused one is never received whole. */
  async assertMayAttach(taskId: string, user: User): Promise<TaskWithGroups> {
    const found = await this.options.instances.task(taskId);
    if (!found) throw notFound(`No task with id "${taskId}"`);
    const refusal = attachRefusal(user, found.task, found.groups);
    if (refusal) throw refusal;
    return found;
  }

  /** Checks the file (not empty, an allowed format by its bytes, the declared type agreeing) and stores it with a history row. */
  async attach(taskId: string, user: User, file: NewAttachment): Promise<AttachmentRow> {
    const { task } = await this.assertMayAttach(taskId, user);
    const name = sanitiseFileName(file.name);
    const refusal = fileRefusal(name, file.declaredType, file.content);
    if (refusal) throw refusal;
    const instance = await this.options.instances.instance(task.processInstanceId);
    if (!instance) throw notFound(`No process instance with id "${task.processInstanceId}"`);
    const now = this.options.clock.now();
    const row: AttachmentRow = {
      id: randomUUID(),
      processInstanceId: instance.id,
      rootInstanceId: instance.rootInstanceId ?? instance.id,
      taskId: task.id,
      taskDefinitionKey: task.taskDefinitionKey,
      name,
      mediaType: sniffMediaType(file.content.subarray(0, 16))!,
      size: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      uploadedBy: user.id,
      uploadedAt: now.toISOString(),
    };
    const history = historyRow(now, instance.id, 'attachment-added', task.taskDefinitionKey, user.id, { attachmentId: row.id, taskId: task.id, name, mediaType: row.mediaType, size: row.size, sha256: row.sha256 });
    if (!(await this.options.records.add(row, file.content, history))) {
      throw conflict(`Task ${task.id} was completed or taken by someone else while the file was sent; nothing was stored`);
    }
    return row;
  }

  ofApplication(instanceId: string): Promise<AttachmentRow[]> {
    return this.options.records.ofApplication(instanceId);
  }

  ofTask(taskId: string): Promise<AttachmentRow[]> {
    return this.options.records.ofTask(taskId);
  }

  find(id: string): Promise<AttachmentRow | null> {
    return this.options.records.find(id);
  }

  content(id: string): Promise<Buffer | null> {
    return this.options.records.content(id);
  }
}
