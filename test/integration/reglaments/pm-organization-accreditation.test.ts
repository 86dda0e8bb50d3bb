import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, TestHost } from '../../support/test-host';

/*
 * pm-organization-accreditation (seed 003_eded1d01d0e55d57.txt, annex 5) through the HTTP API: every
 * path of the diagram - the portal's two refusals (error boundaries of egov-portal-intake), the
 * certificate and the refusal for the qualification requirements (portal condition 3).
 */
const KEY = 'pm-organization-accreditation';
const LIMITS: Record<string, { timeLimit: string }> = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../fixtures/time-limits/pm-organization-accreditation.json'), 'utf8'),
);

type Step = [group: string, taskKey: string, variables?: Record<string, unknown>];

const INTAKE: Step[] = [
  ['office', 'accept-documents'],
  ['head', 'review-documents'],
];

describe(`${KEY} through the HTTP API`, () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  async function applicant(options: { portalUser?: boolean; certificate?: 'valid' | 'expired' | 'revoked' | 'other-iin' | 'none' } = {}) {
    const { applicantKind: _kind, ...declared } = await t.sim.prepareApplicant({
      kind: 'legal-entity',
      portalUser: options.portalUser ?? true,
      paid: true,
      processKey: KEY,
      certificate: options.certificate ?? 'valid',
      inStateDatabase: true,
    });
    // The start form asks only for the applicant's IIN/BIN, name and signed request: a start may send nothing else.
    return declared;
  }

  async function start(variables: Record<string, unknown>): Promise<string> {
    const started = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, { variables: { ...variables, channel: 'portal' } });
    expect(started.status).toBe(201);
    return started.body.id;
  }

  /** Lists the step's task as its group's user (with the seed's time limit), claims and completes it. */
  async function drive(id: string, steps: Step[]): Promise<void> {
    for (const [group, taskKey, variables] of steps) {
      const user = t.userOf(group);
      const listed = await t.call(user, 'GET', `/tasks?processInstanceId=${id}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((x: any) => x.taskDefinitionKey)).toEqual([taskKey]);
      const task = listed.body.items[0];
      expect(task).toMatchObject({ candidateGroups: [group], timeLimit: LIMITS[taskKey].timeLimit });
      expect(task.due).toEqual(expect.any(String));
      expect((await t.call(user, 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
      const done = await t.call(user, 'POST', `/tasks/${task.id}/complete`, { variables: variables ?? {} });
      expect(done.status).toBe(200);
    }
  }

  async function instance(id: string) {
    return (await t.call('admin', 'GET', `/process-instances/${id}`)).body;
  }

  it('portal: accreditation certificate issued', async () => {
    const id = await start(await applicant());
    await drive(id, [...INTAKE, ['specialist', 'check-qualification', { qualificationMet: true }], ['head', 'sign-certificate']]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'certificate-issued' });
    expect(done.variables).toMatchObject({ decision: 'issued', resultKind: 'certificate' });
    expect(done.variables.elicenseRequestNumber).toEqual(expect.any(String));
    expect(done.variables.resultDocument).toEqual(expect.any(String));
  });

  it('portal: qualification requirements not met -> motivated refusal (condition 3 -> process 6)', async () => {
    const id = await start(await applicant());
    await drive(id, [
      ...INTAKE,
      ['specialist', 'check-qualification', { qualificationMet: false, refusalReason: 'Біліктілік талаптарына сәйкес келмейді' }],
      ['head', 'sign-certificate'],
    ]);
    const done = await instance(id);
    expect(done).toMatchObject({ state: 'completed', outcome: 'refused-qualification' });
    expect(done.variables).toMatchObject({ decision: 'refused', resultKind: 'refusal' });
  });

  it('portal: authorization refused (condition 1 -> process 2, error boundary AUTHORIZATION_REFUSED)', async () => {
    const id = await start(await applicant({ portalUser: false }));
    expect(await instance(id)).toMatchObject({ state: 'completed', outcome: 'refused-authorization' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it.each(['expired', 'revoked', 'other-iin', 'none'] as const)('portal: EDS not confirmed, certificate %s (condition 2 -> process 4)', async (certificate) => {
    const id = await start(await applicant({ certificate }));
    expect(await instance(id)).toMatchObject({ state: 'completed', outcome: 'refused-eds-not-confirmed' });
    expect((await t.call('admin', 'GET', `/tasks?processInstanceId=${id}&state=all`)).body.items).toEqual([]);
  });

  it("another group's user neither sees nor completes a task; the check form is validated", async () => {
    const id = await start(await applicant());
    await drive(id, INTAKE);
    const task = (await t.call(t.userOf('specialist'), 'GET', `/tasks?processInstanceId=${id}`)).body.items[0];
    expect(task.taskDefinitionKey).toBe('check-qualification');
    for (const group of ['office', 'head']) {
      expect((await t.call(t.userOf(group), 'GET', `/tasks?processInstanceId=${id}`)).body.items).toEqual([]);
      expect((await t.call(t.userOf(group), 'POST', `/tasks/${task.id}/complete`, { variables: { qualificationMet: true } })).status).toBe(403);
    }
    const missing = await t.call(t.userOf('specialist'), 'POST', `/tasks/${task.id}/complete`, { variables: { qualificationMet: 'иә' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields).toEqual([expect.objectContaining({ field: 'qualificationMet' })]);
    expect((await t.call(t.userOf('specialist'), 'GET', `/tasks/${task.id}`)).body.state).toBe('open');
  });

  it('rejects a start with a malformed IIN/BIN or a channel the reglament does not name', async () => {
    const bad = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, {
      variables: { channel: 'state-corporation', applicantName: 'ЖШС «Жоба Менеджмент»', applicantIinBin: '14054001' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['applicantIinBin', 'channel']);
  });
});
