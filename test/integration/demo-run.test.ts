import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { callApi, tempDir } from '../support/test-host';

/*
 * The default run as a newcomer starts it (the compiled dist/src/server.js, no USERS_FILE, no
 * external system configured): it prints the portal simulator's demo page, and the page files a
 * signed portal application of a demo applicant with the server's portal intake, as the process's
 * own portal account, which is never written to the users file.
 */
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');

function startDefaultRun(dataDir: string): Promise<{ child: ChildProcess; output: () => string; demoUrl: string }> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', PROCESSES_DIR: path.resolve(__dirname, '../../processes') };
    for (const name of ['USERS_FILE', 'DATABASE_URL', 'CA_URL', 'EGOV_PORTAL_URL', 'NCANODE_URL']) delete env[name];
    const child = spawn(process.execPath, [serverScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Try a portal application as a demo applicant, in two clicks: (http:\/\/\S+\/demo)/.exec(output);
      if (match) resolve({ child, output: () => output, demoUrl: match[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before printing the demo page:\n${output}`)));
  });
}

describe('npm run serve: the demo page', () => {
  const dir = tempDir('reglament-demo-run-');
  let run: Awaited<ReturnType<typeof startDefaultRun>>;
  beforeAll(async () => {
    run = await startDefaultRun(dir);
  }, 120_000);
  afterAll(async () => {
    if (!run) return;
    run.child.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      run.child.once('exit', () => resolve());
      run.child.kill('SIGTERM');
    });
  });

  it('prints the page, seeds the demo applicants and files their signed applications as its own portal account', async () => {
    const adminToken = /\badmin\s+.*token=(\S+)/.exec(run.output())?.[1];
    const serverUrl = /Open the web app: (http:\/\/\S+)\//.exec(run.output())?.[1];
    expect(adminToken).toBeDefined();
    expect(serverUrl).toBeDefined();

    const pageHtml = await (await fetch(run.demoUrl)).text();
    const formToken = /name="formToken" value="([0-9a-f]+)"/.exec(pageHtml)?.[1];
    expect(formToken).toBeDefined();
    expect(pageHtml).toContain('data-applicant="individual"');
    expect(pageHtml).toContain('data-applicant="legal-entity"');

    const answer = await fetch(`${run.demoUrl}/submit`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ applicant: 'legal-entity', service: 'cotton-warehouse-license', lang: 'ru', formToken: formToken! }) });
    const html = await answer.text();
    expect({ status: answer.status, html }).toMatchObject({ status: 201, html: expect.stringContaining('Заявление принято') });
    const instanceId = /data-instance-id="([^"]+)"/.exec(html)![1];

    // As the admin whose token the first run printed.
    const caseNumber = /data-business-key>([^<]+)</.exec(html)![1];
    const admin = (route: string) => fetch(`${serverUrl}/api${route}`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json() as Promise<any>);
    expect((await admin(`/cases?caseNumber=${encodeURIComponent(caseNumber)}`)).items).toEqual([expect.objectContaining({ id: instanceId, startedBy: 'egov-portal', applicantName: '«Ақ Мақта Демо» ЖШС' })]);
    const instance = await admin(`/process-instances/${instanceId}`);
    expect(instance).toMatchObject({ variables: { channel: 'portal', applicantKind: 'legal-entity', signedRequest: expect.any(String) } });
    // The intake ran: the portal authorized the applicant, the fee is paid, the EDS verified.
    expect(instance.variables).toMatchObject({ portalAuthorized: true, paymentConfirmed: true, edsValid: true });

    // The portal account lives in the server process only.
    expect(fs.readFileSync(path.join(dir, 'users.json'), 'utf8')).not.toContain('egov-portal');
    expect((await callApi(serverUrl!, null, 'GET', '/health')).status).toBe(200);
  });
});
