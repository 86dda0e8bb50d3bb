import fs from 'node:fs';
import path from 'node:path';
import { DefinitionEntity, HistoryEntity, InstanceEntity, NotificationEntity, NotificationRow, TaskEntity } from '../../src/persistence/entities';
import { writeTransaction } from '../../src/persistence/write-lock';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * Every write in one lock (issue 13, finding 6). On sqlite the server has one connection: a
 * deployment whose transaction ran beside a step's used to mix the two (completions answered 200 and
 * not stored, stored in part, or 500 and applied; concurrent deployments of one key answered 500
 * "cannot start a transaction within a transaction"). The answers are checked against what the
 * database holds afterwards: a 2xx only for what is stored whole, a non-2xx only when nothing is.
 * Runs on sqlite, and on PostgreSQL with TEST_DATABASE_URL (there also across two hosts).
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/write-lock');
const KEY = 'lock-chain';
const SOURCE = fs.readFileSync(path.join(FIXTURES, 'lock-chain.bpmn'), 'utf8');
/** The same diagram with another documentation text: a changed content, so a new version. */
const revision = (tag: string) => SOURCE.replace('revision 0.', `revision ${tag}.`);

const office = 'office-user';
const admin = 'admin';

interface Answer {
  status: number;
  body: any;
}

describe('every write in one lock: answers match what is stored', () => {
  let t: TestHost;

  beforeAll(async () => {
    t = await startTestHost({ processesDir: FIXTURES });
  });
  afterAll(() => t.close());

  const deploy = (source: string, host: TestHost = t) => host.call(admin, 'POST', '/deployments', { resources: [{ name: 'lock-chain.bpmn', source }] });
  const versionsOf = async () => (await t.host.dataSource.getRepository(DefinitionEntity).find({ where: { key: KEY }, order: { version: 'ASC' } })).map((d) => ({ version: d.version, source: d.source }));
  const openTaskOf = async (instanceId: string, activity: string) =>
    t.host.dataSource.getRepository(TaskEntity).find({ where: { processInstanceId: instanceId, taskDefinitionKey: activity } });

  it('completions of many instances while changed diagrams deploy: every 200 is stored whole, every other answer stored nothing', async () => {
    const INSTANCES = 16;
    let working = true;
    const deployAnswers: { tag: string; answer: Answer }[] = [];
    // Two deployers at once, each deploying a changed diagram as soon as the previous answer came.
    const deployers = [0, 1].map(async (d) => {
      for (let i = 0; working; i++) {
        const tag = `d${d}-${i}`;
        deployAnswers.push({ tag, answer: await deploy(revision(tag)) });
      }
    });

    const starts: { businessKey: string; answer: Answer }[] = [];
    const completions: { taskId: string; instanceId: string; activity: string; answer: Answer }[] = [];
    const claims: { taskId: string; answer: Answer }[] = [];
    await Promise.all(
      Array.from({ length: INSTANCES }, async (_, i) => {
        const businessKey = `LOCK-${i}`;
        const started = await t.call(office, 'POST', `/process-definitions/${KEY}/start`, { businessKey });
        starts.push({ businessKey, answer: started });
        if (started.status !== 201) return;
        for (const activity of ['first', 'second']) {
          const [task] = (await t.call(admin, 'GET', `/tasks?processInstanceId=${started.body.id}`)).body.items.filter((x: any) => x.taskDefinitionKey === activity);
          if (!task) return;
          claims.push({ taskId: task.id, answer: await t.call(office, 'POST', `/tasks/${task.id}/claim`) });
          const answer = await t.call(office, 'POST', `/tasks/${task.id}/complete`, { variables: { [`${activity}Note`]: `note ${i}` } });
          completions.push({ taskId: task.id, instanceId: started.body.id, activity, answer });
          if (answer.status !== 200) return;
        }
      }),
    );
    working = false;
    await Promise.all(deployers);

    const db = t.host.dataSource;
    const history = db.getRepository(HistoryEntity);
    const problems: string[] = [];
    for (const { businessKey, answer } of starts) {
      const rows = await db.getRepository(InstanceEntity).find({ where: { businessKey } });
      if (answer.status === 201 && rows.length !== 1) problems.push(`start ${businessKey} answered 201, ${rows.length} instances stored`);
      if (answer.status !== 201 && rows.length !== 0) problems.push(`start ${businessKey} answered ${answer.status}, ${rows.length} instances stored`);
      if (answer.status === 201 && (await openTaskOf(answer.body.id, 'first')).length !== 1) problems.push(`start ${businessKey} answered 201 without its first task`);
    }
    for (const { taskId, answer } of claims) {
      const task = await db.getRepository(TaskEntity).findOneOrFail({ where: { id: taskId } });
      if (answer.status === 200 && task.assignee !== office) problems.push(`claim of ${taskId} answered 200, assignee stored ${task.assignee}`);
    }
    for (const { taskId, instanceId, activity, answer } of completions) {
      const task = await db.getRepository(TaskEntity).findOneOrFail({ where: { id: taskId } });
      const completedInHistory = await history.count({ where: { processInstanceId: instanceId, type: 'task-completed', activityId: activity } });
      const instance = await db.getRepository(InstanceEntity).findOneOrFail({ where: { id: instanceId } });
      const successor = activity === 'first' ? (await openTaskOf(instanceId, 'second')).length === 1 : instance.state === 'completed';
      const what = `completion of ${activity} of ${instanceId} answered ${answer.status}`;
      if (answer.status === 200) {
        if (task.state !== 'completed') problems.push(`${what}, task stored ${task.state}`);
        if (completedInHistory !== 1) problems.push(`${what}, ${completedInHistory} task-completed history rows`);
        if (!successor) problems.push(`${what}, its successor is missing (the application is wedged)`);
      } else {
        if (task.state !== 'open') problems.push(`${what}, task stored ${task.state}`);
        if (completedInHistory !== 0 || successor) problems.push(`${what}, yet the step is (partly) stored`);
      }
    }
    const versions = await versionsOf();
    for (const { tag, answer } of deployAnswers) {
      if (answer.status !== 201 && answer.status !== 200) {
        problems.push(`deploy ${tag} answered ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      const made = answer.body.definitions[0];
      const stored = versions.find((v) => v.version === made.version);
      if (!stored || stored.source !== revision(tag)) problems.push(`deploy ${tag} answered version ${made.version}, which holds other content`);
    }
    expect(problems).toEqual([]);
    // The work above really happened side by side: every answer was a success.
    expect(starts.map((s) => s.answer.status)).toEqual(starts.map(() => 201));
    expect(completions.filter((c) => c.answer.status === 200)).toHaveLength(INSTANCES * 2);
    expect(deployAnswers.length).toBeGreaterThanOrEqual(4);
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
  }, 120_000);

  describe('the lock itself', () => {
    const notification = (id: string): NotificationRow => ({ id, groupId: 'office', userId: null, type: 'lock-test', message: id, processInstanceId: null, taskId: null, createdAt: new Date().toISOString(), readAt: null, readBy: null });
    const count = (id: string) => t.host.dataSource.getRepository(NotificationEntity).count({ where: { id } });

    it('a read from outside a running transaction never sees its rows before the commit, nor after a rollback', async () => {
      let inserted!: () => void;
      let finish!: () => void;
      const insertedNow = new Promise<void>((resolve) => (inserted = resolve));
      const finishNow = new Promise<void>((resolve) => (finish = resolve));
      const transaction = writeTransaction(t.host.dataSource, async (manager) => {
        await manager.getRepository(NotificationEntity).insert(notification('lock-rolled-back'));
        inserted();
        await finishNow;
        throw new Error('rolled back on purpose');
      });
      await insertedNow;
      // On sqlite's single connection the read would run inside the open transaction and see its row.
      const read = count('lock-rolled-back');
      finish();
      await expect(transaction).rejects.toThrow('rolled back on purpose');
      expect(await read).toBe(0);
    });

    it('transactions started together run one after the other, each committed whole', async () => {
      const ids = Array.from({ length: 8 }, (_, i) => `lock-serial-${i}`);
      let running = 0;
      let overlap = 0;
      await Promise.all(
        ids.map((id) =>
          writeTransaction(t.host.dataSource, async (manager) => {
            running++;
            overlap = Math.max(overlap, running);
            await manager.getRepository(NotificationEntity).insert(notification(id));
            await new Promise((resolve) => setTimeout(resolve, 5));
            await manager.getRepository(NotificationEntity).update({ id }, { readBy: 'both-writes' });
            running--;
          }),
        ),
      );
      expect(overlap).toBe(1);
      for (const id of ids) expect(await t.host.dataSource.getRepository(NotificationEntity).findOneOrFail({ where: { id } })).toMatchObject({ readBy: 'both-writes' });
    });

    it('a transaction opened inside another is refused instead of joining it', async () => {
      await expect(writeTransaction(t.host.dataSource, () => writeTransaction(t.host.dataSource, async () => undefined))).rejects.toThrow('inside another one');
    });
  });

  it('ten concurrent deploys of one changed content: all 2xx, one new version', async () => {
    const before = await versionsOf();
    const answers = await Promise.all(Array.from({ length: 10 }, () => deploy(revision('same-ten'))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const after = await versionsOf();
    expect(after.slice(before.length).map((v) => v.source)).toEqual([revision('same-ten')]);
    expect(new Set(answers.map((a) => a.body.definitions[0].version))).toEqual(new Set([after[after.length - 1].version]));
  }, 60_000);

  it('ten concurrent deploys of ten contents: all 201, ten consecutive versions, one per content', async () => {
    const before = await versionsOf();
    const tags = Array.from({ length: 10 }, (_, i) => `ten-${i}`);
    const answers = await Promise.all(tags.map((tag) => deploy(revision(tag))));
    expect(answers.map((a) => a.status)).toEqual(tags.map(() => 201));
    const after = await versionsOf();
    const made = after.slice(before.length);
    expect(made.map((v) => v.version)).toEqual(tags.map((_, i) => before.length + i + 1));
    expect(made.map((v) => v.source).sort()).toEqual(tags.map(revision).sort());
    answers.forEach((a, i) => expect(after.find((v) => v.version === a.body.definitions[0].version)?.source).toBe(revision(tags[i])));
  }, 60_000);

  it('two hosts on one database deploying at once: one version per distinct content', async () => {
    const second = await startTestHost({ processesDir: FIXTURES, dir: t.dir });
    try {
      const hostOf = (i: number) => (i % 2 === 0 ? t : second);
      let before = await versionsOf();
      const same = await Promise.all(Array.from({ length: 10 }, (_, i) => deploy(revision('two-same'), hostOf(i))));
      expect(same.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect((await versionsOf()).slice(before.length).map((v) => v.source)).toEqual([revision('two-same')]);

      before = await versionsOf();
      const tags = Array.from({ length: 10 }, (_, i) => `two-${i}`);
      const distinct = await Promise.all(tags.map((tag, i) => deploy(revision(tag), hostOf(i))));
      expect(distinct.map((a) => a.status)).toEqual(tags.map(() => 201));
      const made = (await versionsOf()).slice(before.length);
      expect(made.map((v) => v.version)).toEqual(tags.map((_, i) => before.length + i + 1));
      expect(made.map((v) => v.source).sort()).toEqual(tags.map(revision).sort());
    } finally {
      await second.close();
    }
  }, 90_000);
});
