import { startApplication } from '../support/reglament-driver';
import { gostLabelledCms } from '../support/gost';
import { startTestHost, TestHost } from '../support/test-host';

/*
 * A portal application signed with a GOST 34.310 key on a server without NCANode (issue 18,
 * point 2): the EDS step stops with an incident that says GOST cannot be verified here and names
 * NCANODE_URL; the applicant is not refused (no edsValid false, no EDS_NOT_CONFIRMED end), and a
 * retry without NCANode stops the same way.
 */
describe('GOST signature without NCANode', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t?.close());

  it('is an incident of the EDS step with the reason, never a refusal of the applicant', async () => {
    const applicant = await t.sim.prepareApplicant({ processKey: 'cotton-warehouse-license', certificate: 'none' });
    const signedRequest = await gostLabelledCms(JSON.stringify({ service: 'cotton-warehouse-license', applicantIinBin: applicant.applicantIinBin }), { commonName: applicant.applicantName, iin: applicant.applicantIinBin });
    const started = await startApplication(t, 'cotton-warehouse-license', {
      businessKey: 'GOST-1',
      starter: 'olga-office',
      channel: 'portal',
      applicant: { iinBin: applicant.applicantIinBin, name: applicant.applicantName, certificate: 'none' },
      form: { variant: 'issue', resultForm: 'electronic', signedRequest },
    });
    expect(started.status).toBe(201);

    const incidents = ((await t.call('admin', 'GET', '/incidents')).body as any[]).filter((i) => i.handler === 'eds.verify-request');
    expect(incidents).toHaveLength(1);
    expect(incidents[0].message).toMatch(/Cannot verify GOST here: the signer's certificate .* has a GOST 34\.310 key.*set NCANODE_URL/);

    const stalled = (await t.call('admin', 'GET', `/process-instances/${incidents[0].processInstanceId}`)).body;
    expect(stalled.state).toBe('running');
    expect(stalled.variables.edsValid).toBeUndefined();
    const top = (await t.call('admin', 'GET', `/process-instances/${started.body.id}`)).body;
    expect(top.state).toBe('running');
    expect(top.outcome ?? null).toBeNull();

    const retried = await t.call('admin', 'POST', `/process-instances/${incidents[0].processInstanceId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ resolved: false, incidents: [expect.objectContaining({ handler: 'eds.verify-request', message: expect.stringContaining('Cannot verify GOST here') })] });
  });
});
