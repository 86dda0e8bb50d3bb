import { createHash } from 'node:crypto';
import { SqlAttachmentStore } from '../../src/persistence/attachment-store';
import { SAMPLE_JPEG, SAMPLE_PDF, SAMPLE_PNG, uploadAttachment, UploadPart } from '../support/attachment-files';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Attachments (issue 17, point 4): the holder of an open task uploads a document of the application
 * (PDF, JPEG, PNG, TIFF by content; the declared type agreeing; not empty; at most
 * ATTACHMENT_MAX_BYTES, 20 MB by default); those who may see the case list and download it. Every
 * refusal stores nothing: no row, no bytes, no history.
 */
const MAX = 20 * 1024 * 1024;

describe('attachments', () => {
  let t: TestHost;
  let instanceId: string;
  let taskId: string;
  let store: SqlAttachmentStore;

  beforeAll(async () => {
    t = await startTestHost();
    store = new SqlAttachmentStore(t.host.dataSource);
    const started = await t.call('olga-office', 'POST', '/process-definitions/cotton-warehouse-license/start', {
      businessKey: 'ATTACH-1',
      variables: { variant: 'duplicate', resultForm: 'electronic', applicantName: 'ЖШС Тест', applicantIinBin: '990101300122' },
    });
    expect(started.status).toBe(201);
    instanceId = started.body.id;
    const task = (await t.call('olga-office', 'GET', `/tasks?processInstanceId=${instanceId}`)).body.items[0];
    expect(task.taskDefinitionKey).toBe('register-application');
    taskId = task.id;
    expect((await t.call('olga-office', 'POST', `/tasks/${taskId}/claim`)).status).toBe(200);
  });
  afterAll(() => t.close());

  const stored = async () => ({
    ...(await store.counts()),
    history: ((await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string }[]).filter((e) => e.type === 'attachment-added').length,
  });

  it('the holder attaches a scan: name, type, size, SHA-256, uploader, time and step; listed and downloaded byte for byte by those who see the case', async () => {
    const before = await stored();
    const answer = await uploadAttachment(t.url, 'olga-office', taskId, { name: 'C:\\scans\\өтініш <1>.pdf', type: 'application/pdf', content: SAMPLE_PDF });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      name: 'өтініш _1_.pdf',
      mediaType: 'application/pdf',
      size: SAMPLE_PDF.length,
      sha256: createHash('sha256').update(SAMPLE_PDF).digest('hex'),
      uploadedBy: 'olga-office',
      uploadedByName: 'olga-office',
      processInstanceId: instanceId,
      taskId,
      taskDefinitionKey: 'register-application',
    });
    expect(Date.parse(answer.body.uploadedAt)).not.toBeNaN();
    expect(await stored()).toEqual({ rows: before.rows + 1, contents: before.contents + 1, history: before.history + 1 });

    // The head of the reglament sees the case; the list names the step that added it.
    const listed = await t.call('hasan-head', 'GET', `/process-instances/${instanceId}/attachments`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([answer.body]);

    const download = await fetch(`${t.url}${answer.body.download}`, { headers: { authorization: `Bearer ${tokenOf('hasan-head')}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('өтініш _1_.pdf')}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(SAMPLE_PDF)).toBe(true);

    const history = (await t.call('olga-office', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string; user?: string; activityId?: string; data?: Record<string, unknown> }[];
    expect(history.find((e) => e.type === 'attachment-added')).toMatchObject({ user: 'olga-office', activityId: 'register-application', data: { attachmentId: answer.body.id, taskId, sha256: answer.body.sha256, size: SAMPLE_PDF.length } });
    // Not a variable of the case.
    expect(JSON.stringify((await t.call('admin', 'GET', `/process-instances/${instanceId}`)).body.variables)).not.toContain(answer.body.id);
  });

  it('someone who may not see the case gets 404 for the list and the download', async () => {
    const [first] = (await t.call('admin', 'GET', `/process-instances/${instanceId}/attachments`)).body;
    expect(first).toBeDefined();
    for (const user of ['nobody', 'sanzhar-specialist']) {
      expect((await t.call(user, 'GET', `/process-instances/${instanceId}/attachments`)).status).toBe(404);
      expect((await t.call(user, 'GET', `/attachments/${first.id}/content`)).status).toBe(404);
    }
    expect((await t.call('admin', 'GET', '/attachments/no-such-id/content')).status).toBe(404);
  });

  const tooBig = Buffer.concat([SAMPLE_PDF, Buffer.alloc(MAX + 1 - SAMPLE_PDF.length, 0x20)]);
  const refusals: { case: string; user: string; part: UploadPart; status: number; code: string }[] = [
    { case: 'too big (one byte over 20 MB)', user: 'olga-office', part: { name: 'big.pdf', type: 'application/pdf', content: tooBig }, status: 413, code: 'ATTACHMENT_TOO_LARGE' },
    { case: 'wrong type (text)', user: 'olga-office', part: { name: 'notes.txt', type: 'text/plain', content: Buffer.from('just text') }, status: 400, code: 'ATTACHMENT_TYPE_NOT_ALLOWED' },
    { case: 'wrong type (a program named .pdf)', user: 'olga-office', part: { name: 'scan.pdf', type: 'application/pdf', content: Buffer.from('MZ\x90\x00\x03 program', 'latin1') }, status: 400, code: 'ATTACHMENT_TYPE_NOT_ALLOWED' },
    { case: 'type mismatch (a PNG sent as PDF)', user: 'olga-office', part: { name: 'scan.pdf', type: 'application/pdf', content: SAMPLE_PNG }, status: 400, code: 'ATTACHMENT_TYPE_MISMATCH' },
    { case: 'type mismatch (a JPEG sent as octet-stream)', user: 'olga-office', part: { name: 'scan.jpg', type: 'application/octet-stream', content: SAMPLE_JPEG }, status: 400, code: 'ATTACHMENT_TYPE_MISMATCH' },
    { case: 'empty', user: 'olga-office', part: { name: 'empty.pdf', type: 'application/pdf', content: Buffer.alloc(0) }, status: 400, code: 'ATTACHMENT_EMPTY' },
    { case: 'not in the part "file"', user: 'olga-office', part: { name: 'scan.pdf', type: 'application/pdf', content: SAMPLE_PDF, field: 'document' }, status: 400, code: 'ATTACHMENT_FIELD' },
    { case: 'not the holder (a colleague of the office)', user: 'office-user', part: { name: 'scan.pdf', type: 'application/pdf', content: SAMPLE_PDF }, status: 409, code: 'CONFLICT' },
    { case: 'not the holder (another group)', user: 'sanzhar-specialist', part: { name: 'scan.pdf', type: 'application/pdf', content: SAMPLE_PDF }, status: 403, code: 'FORBIDDEN' },
    { case: 'not allowed to see the case', user: 'nobody', part: { name: 'scan.pdf', type: 'application/pdf', content: SAMPLE_PDF }, status: 403, code: 'FORBIDDEN' },
  ];

  it.each(refusals)('refuses $case: $status $code, nothing stored', async ({ user, part, status, code }) => {
    const before = await stored();
    const answer = await uploadAttachment(t.url, user, taskId, part);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    if (status === 400 && code.startsWith('ATTACHMENT_TYPE')) expect(answer.body.error.details).toMatchObject({ field: 'file' });
    expect(await stored()).toEqual(before);
  });

  it('refuses a file past the limit while it streams (no Content-Length), nothing stored', async () => {
    const before = await stored();
    const boundary = 'x-boundary-attach';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(Buffer.concat([head, SAMPLE_PDF]));
        if (sent > MAX + 2 * chunk.length) {
          controller.enqueue(Buffer.from(`\r\n--${boundary}--\r\n`));
          controller.close();
          return;
        }
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const response = await fetch(`${t.url}/api/tasks/${taskId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf('olga-office')}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(await stored()).toEqual(before);
  });

  it('refuses a body that is not multipart, nothing stored', async () => {
    const before = await stored();
    const answer = await t.call('olga-office', 'POST', `/tasks/${taskId}/attachments`, { file: 'base64...' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('MULTIPART_REQUIRED');
    expect(await stored()).toEqual(before);
  });

  it('keeps the attachments of a task once it is completed (Camunda: they belong to the task and the case), and refuses new ones', async () => {
    const jpeg = await uploadAttachment(t.url, 'olga-office', taskId, { name: 'passport.jpg', type: 'image/jpeg', content: SAMPLE_JPEG });
    expect(jpeg.status).toBe(201);
    expect((await t.call('olga-office', 'POST', `/tasks/${taskId}/complete`, {})).status).toBe(200);
    const before = await stored();
    const late = await uploadAttachment(t.url, 'olga-office', taskId, { name: 'late.pdf', type: 'application/pdf', content: SAMPLE_PDF });
    expect(late.status).toBe(409);
    expect(await stored()).toEqual(before);
    const listed = (await t.call('olga-office', 'GET', `/process-instances/${instanceId}/attachments`)).body as { name: string; mediaType: string }[];
    expect(listed.map((a) => [a.name, a.mediaType])).toEqual([
      ['өтініш _1_.pdf', 'application/pdf'],
      ['passport.jpg', 'image/jpeg'],
    ]);
  });
});
