import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { simulatorEnv, startSimulators, Simulators } from '../../src/integrations/simulators';
import { simulatorAdapters } from '../support/simulators';

/* The demo CLI (scripts/applicant.ts, compiled by `npm test`'s build) against running simulators. */
const run = promisify(execFile);
const cli = path.resolve(__dirname, '../../dist/scripts/applicant.js');

describe('scripts/applicant.ts', () => {
  let simulators: Simulators;
  let env: Record<string, string>;
  beforeAll(async () => {
    simulators = await startSimulators({ host: '127.0.0.1', employees: [] });
    env = { ...process.env, ...simulatorEnv(simulators) } as Record<string, string>;
  });
  afterAll(() => simulators.close());

  it('creates a test applicant whose signed request verifies, with a payment; revokes its certificate', async () => {
    const { stdout } = await run(process.execPath, [cli, 'create', '--kind', 'legal-entity', '--paid', 'weapon-activity-license'], { env });
    const applicant = JSON.parse(stdout);
    expect(applicant).toMatchObject({ applicantKind: 'legal-entity', applicantIinBin: expect.stringMatching(/^\d{12}$/), signedRequest: expect.any(String) });

    const adapters = simulatorAdapters(simulators);
    const verifier = await adapters.eds.verifier();
    expect(await verifier.verify(applicant.signedRequest, applicant.applicantIinBin)).toMatchObject({ valid: true });
    expect(await adapters.payments.status(applicant.applicantIinBin, 'weapon-activity-license')).toMatchObject({ paid: true });
    expect(await adapters.payments.status(applicant.applicantIinBin, 'cotton-warehouse-license')).toMatchObject({ paid: false });

    await run(process.execPath, [cli, 'revoke', '--serial', applicant.certificateSerial], { env });
    adapters.eds.crls.clear();
    expect(await verifier.verify(applicant.signedRequest, applicant.applicantIinBin)).toMatchObject({ valid: false, failure: 'revoked' });
  });

  it('refuses a malformed IIN/BIN with the reason', async () => {
    await expect(run(process.execPath, [cli, 'create', '--iin-bin', '123456789012'], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('not a valid IIN/BIN') });
  });
});
