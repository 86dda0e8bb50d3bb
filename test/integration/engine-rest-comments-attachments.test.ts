import { SqlAttachmentStore } from '../../src/persistence/attachment-store';
import { SAMPLE_PDF, SAMPLE_PNG } from '../support/attachment-files';
import { basic, camundaCall, cottonCaseAt } from '../support/camunda-client';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Task comments and attachments on /engine-rest (issue 20, point 1) in Camunda 7.24's shapes
 * (CommentDto, AttachmentDto; POST .../comment/create with { message }, POST .../attachment/create as
 * multipart with attachment-name, attachment-description, attachment-type and the file in `content`,
 * as webapps-neo's task page sends them), over the same stores, limits and visibility as /api's.
 * A refusal stores nothing; nothing is changed or deleted once stored.
 */
const MAX = 4096;
const camundaDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);

describe('task comments and attachments on /engine-rest', () => {
  let t: TestHost;
  let taskId: string;
  let instanceId: string;
  let store: SqlAttachmentStore;

  beforeAll(async () => {
    t = await startTestHost({ env: { ATTACHMENT_MAX_BYTES: String(MAX) } });
    store = new SqlAttachmentStore(t.host.dataSource);
    ({ taskId, instanceId } = await cottonCaseAt(t, 'COLLAB-1', 'register-application'));
  });
  afterAll(() => t.close());

  const commentCount = async () => (await t.call('admin', 'GET', `/tasks/${taskId}/comments`)).body.length as number;

  it('comments: create, list and read one in Camunda shape, the same comments /api shows', async () => {
    const created = await camundaCall(t, 'olga-office', 'POST', `/task/${taskId}/comment/create`, { message: '  Құжаттар қабылданды  ' });
    expect(created.status).toBe(200);
    const { links, ...comment } = created.body;
    expect(comment).toEqual({ id: expect.any(String), userId: 'olga-office', time: camundaDate, taskId, message: 'Құжаттар қабылданды', removalTime: null, rootProcessInstanceId: instanceId, processInstanceId: instanceId });
    expect(links).toEqual([{ method: 'GET', href: `${t.url}/engine-rest/task/${taskId}/comment/${comment.id}`, rel: 'self' }]);

    // The head of the reglament sees the case: reads and comments too, naming the instance as Camunda's body may.
    const head = await camundaCall(t, 'hasan-head', 'POST', `/task/${taskId}/comment/create`, { message: 'Тексеріңіз', processInstanceId: instanceId });
    expect(head.status).toBe(200);
    const listed = await camundaCall(t, 'hasan-head', 'GET', `/task/${taskId}/comment`);
    expect(listed.body).toEqual([{ links: [], ...comment }, { ...head.body, links: [] }]);
    expect(await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/comment/${comment.id}`).then((r) => [r.status, r.body])).toEqual([200, { links: [], ...comment }]);

    // One store: /api lists them with the same text, and its history has them.
    const api = await t.call('olga-office', 'GET', `/tasks/${taskId}/comments`);
    expect(api.body.map((c: { id: string; text: string }) => [c.id, c.text])).toEqual([
      [comment.id, 'Құжаттар қабылданды'],
      [head.body.id, 'Тексеріңіз'],
    ]);
    const history = (await t.call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string; data?: { commentId?: string } }[];
    expect(history.filter((e) => e.type === 'comment-added').map((e) => e.data?.commentId)).toEqual([comment.id, head.body.id]);
  });

  it.each([
    ['an empty message', { message: '   ' }, 'message must not be empty'],
    ['a message over 4000 characters', { message: 'x'.repeat(4001) }, 'message must be at most 4000 characters'],
    ['no message', {}, 'message'],
    ['another instance', { message: 'ok', processInstanceId: 'another-instance' }, "not 'another-instance'"],
  ])('refuses %s with 400 and stores nothing', async (_name, body, words) => {
    const before = await commentCount();
    const refused = await camundaCall(t, 'olga-office', 'POST', `/task/${taskId}/comment/create`, body);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining(words) });
    expect(await commentCount()).toBe(before);
  });

  it('comments: a user who may not see the case gets 404; nobody edits or deletes one', async () => {
    const before = await commentCount();
    for (const [method, route, body] of [
      ['GET', `/task/${taskId}/comment`, undefined],
      ['POST', `/task/${taskId}/comment/create`, { message: 'hello' }],
    ] as const) {
      const answer = await camundaCall(t, 'nobody', method, route, body);
      expect([answer.status, answer.body]).toEqual([404, { type: 'InvalidRequestException', message: `No task with id "${taskId}"` }]);
    }
    const [first] = (await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/comment`)).body;
    expect((await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/comment/no-such-comment`)).status).toBe(404);
    for (const [method, route] of [
      ['DELETE', `/task/${taskId}/comment/${first.id}`],
      ['DELETE', `/task/${taskId}/comment`],
      ['PUT', `/task/${taskId}/comment`],
    ] as const) {
      const answer = await camundaCall(t, 'admin', method, route, method === 'PUT' ? { id: first.id, message: 'changed' } : undefined);
      expect([answer.status, answer.body]).toEqual([403, { type: 'AuthorizationException', message: 'Comments are part of the case record on this server: they are never changed or deleted' }]);
    }
    expect(await commentCount()).toBe(before);
    expect((await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/comment/${first.id}`)).body.message).toBe(first.message);
  });

  /** POST .../attachment/create as webapps-neo's task page builds its FormData. */
  async function attach(user: string, parts: { name?: string; description?: string; type?: string; url?: string; content?: Buffer; contentType?: string }) {
    const form = new FormData();
    if (parts.name !== undefined) form.append('attachment-name', parts.name);
    if (parts.description !== undefined) form.append('attachment-description', parts.description);
    if (parts.type !== undefined) form.append('attachment-type', parts.type);
    if (parts.url !== undefined) form.append('url', parts.url);
    if (parts.content) form.append('content', new Blob([new Uint8Array(parts.content)], { type: parts.contentType ?? 'application/octet-stream' }), 'scan');
    const response = await fetch(`${t.url}/engine-rest/task/${taskId}/attachment/create`, { method: 'POST', headers: { authorization: basic(user), accept: 'application/json' }, body: form });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('attachments: the holder attaches a document; listed, read and downloaded in Camunda shape, the same documents /api shows', async () => {
    expect((await camundaCall(t, 'olga-office', 'POST', `/task/${taskId}/claim`, { userId: 'olga-office' })).status).toBe(204);
    const before = await store.counts();
    const created = await attach('olga-office', { name: 'өтініш.pdf', description: '', type: 'application/pdf', content: SAMPLE_PDF });
    expect(created.status).toBe(200);
    const { links, ...attachment } = created.body;
    expect(attachment).toEqual({ id: expect.any(String), name: 'өтініш.pdf', description: null, taskId, type: 'application/pdf', url: null, createTime: camundaDate, removalTime: null, rootProcessInstanceId: instanceId });
    expect(links).toEqual([{ method: 'GET', href: `${t.url}/engine-rest/task/${taskId}/attachment/${attachment.id}`, rel: 'self' }]);
    expect(await store.counts()).toEqual({ rows: before.rows + 1, contents: before.contents + 1 });

    // Those who see the case list, read and download it.
    expect((await camundaCall(t, 'hasan-head', 'GET', `/task/${taskId}/attachment`)).body).toEqual([{ links: [], ...attachment }]);
    expect((await camundaCall(t, 'hasan-head', 'GET', `/task/${taskId}/attachment/${attachment.id}`)).body).toEqual({ links: [], ...attachment });
    const data = await fetch(`${t.url}/engine-rest/task/${taskId}/attachment/${attachment.id}/data`, { headers: { authorization: basic('hasan-head') } });
    expect(data.status).toBe(200);
    expect(data.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await data.arrayBuffer()).equals(SAMPLE_PDF)).toBe(true);
    const api = await t.call('hasan-head', 'GET', `/process-instances/${instanceId}/attachments`);
    expect(api.body.map((a: { id: string; name: string; sha256: string }) => [a.id, a.name])).toEqual([[attachment.id, 'өтініш.pdf']]);
  });

  it.each([
    ['a link instead of a document', { name: 'x', url: 'https://example.org/x.pdf' }, 400, 'url attachments are not supported'],
    ['a description (not kept)', { name: 'x.pdf', description: 'the scan', type: 'application/pdf', content: SAMPLE_PDF }, 400, 'keeps no attachment descriptions'],
    ['neither a document nor a link', { name: 'x.pdf', type: 'application/pdf' }, 400, 'No content or url to remote content exists to create the task attachment.'],
    ['a type its content is not', { name: 'x.png', type: 'image/png', content: SAMPLE_PDF }, 400, 'is sent as image/png but its content is application/pdf'],
    ['a format not allowed', { name: 'x.txt', type: 'text/plain', content: Buffer.from('plain text') }, 400, 'not a PDF, JPEG, PNG or TIFF'],
    ['a file over ATTACHMENT_MAX_BYTES', { name: 'big.png', type: 'image/png', content: Buffer.concat([SAMPLE_PNG, Buffer.alloc(MAX, 1)]) }, 413, `larger than ${MAX} bytes`],
  ])('refuses %s and stores nothing', async (_name, parts, status, words) => {
    const before = await store.counts();
    const refused = await attach('olga-office', parts);
    expect(refused.status).toBe(status);
    expect(refused.body).toEqual({ type: 'InvalidRequestException', message: expect.stringContaining(words) });
    expect(await store.counts()).toEqual(before);
  });

  it('attachments: only the holder attaches, those who may not see the case get 404, nobody deletes one', async () => {
    const before = await store.counts();
    // The task is olga's: a colleague of the same group is refused (the runtime's conflict, as Camunda's 500).
    const colleague = await attach('office-user', { name: 'x.pdf', type: 'application/pdf', content: SAMPLE_PDF });
    expect(colleague.status).toBe(500);
    expect(colleague.body).toEqual({ type: 'ProcessEngineException', message: expect.stringContaining('held by olga-office') });
    // A user of another group may not attach (403) nor see anything (404).
    expect((await attach('sanzhar-specialist', { name: 'x.pdf', type: 'application/pdf', content: SAMPLE_PDF })).status).toBe(403);
    const [first] = (await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/attachment`)).body;
    for (const route of [`/task/${taskId}/attachment`, `/task/${taskId}/attachment/${first.id}`, `/task/${taskId}/attachment/${first.id}/data`]) {
      expect((await camundaCall(t, 'nobody', 'GET', route)).status).toBe(404);
    }
    expect((await camundaCall(t, 'olga-office', 'GET', `/task/${taskId}/attachment/no-such-attachment`)).body).toEqual({ type: 'InvalidRequestException', message: `Task attachment with id no-such-attachment does not exist for task id '${taskId}'.` });
    const removed = await camundaCall(t, 'admin', 'DELETE', `/task/${taskId}/attachment/${first.id}`);
    expect([removed.status, removed.body]).toEqual([403, { type: 'AuthorizationException', message: 'Attachments are part of the case record on this server: they are never changed or deleted' }]);
    expect(await store.counts()).toEqual(before);
  });
});
