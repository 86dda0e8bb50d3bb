import fs from 'node:fs';
import path from 'node:path';
import { startTestHost, tempDir, TestHost, tokenOf } from '../support/test-host';

/*
 * Replays what Camunda Modeler 5 (client/src/plugins/camunda-plugin/shared/CamundaAPI.js) sends to
 * a Camunda 7 engine, with the same field names and headers: "test connection" is GET /version and
 * GET /deployment?maxResults=0; "deploy" is a multipart POST /deployment/create with
 * deployment-name, deployment-source = "Camunda Modeler", enable-duplicate-filtering = "true",
 * (tenant-id when set) and the diagram as a part named like the file, type text/xml; "start" is
 * POST /process-definition/{id}/start with { businessKey, variables } as application/json. Every
 * request carries `accept: application/json` and `authorization` (Basic user:password or Bearer).
 */
const COTTON = 'cotton-warehouse-license';
const COTTON_SOURCE = fs.readFileSync(path.resolve(__dirname, '../../processes', `${COTTON}.bpmn`), 'utf8');
/** A diagram the server has never seen: the cotton reglament under another process key. */
const KEY = 'modeler-demo-license';
const FILE = `${KEY}.bpmn`;
const SOURCE = COTTON_SOURCE.split(COTTON).join(KEY);

/** What Chromium's FormData produces (Camunda Modeler runs in Electron). */
function chromiumMultipart(parts: ({ name: string; value: string } | { name: string; filename: string; type: string; content: string })[]) {
  const boundary = '----WebKitFormBoundary' + 'q3Hx0RpXkVmNcA7b';
  const chunks: string[] = [];
  for (const part of parts) {
    chunks.push(`--${boundary}\r\n`);
    if ('filename' in part) {
      chunks.push(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n${part.content}\r\n`);
    } else {
      chunks.push(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`);
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  return { body: Buffer.from(chunks.join(''), 'utf8'), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Auth = { username: string; password: string } | { token: string };

function authHeader(auth: Auth): string {
  return 'token' in auth ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

describe('Camunda Modeler 5 against /engine-rest', () => {
  let t: TestHost;
  let base: string;
  const admin: Auth = { username: 'admin', password: tokenOf('admin') };

  beforeAll(async () => {
    // Only the stable cotton reglament is deployed at start; the modeler's diagram is new.
    const dir = tempDir('engine-rest-processes-');
    fs.writeFileSync(path.join(dir, `${COTTON}.bpmn`), COTTON_SOURCE);
    // The shared information-system flows cotton calls must be deployed with it.
    for (const shared of ['egov-portal-intake', 'elicense-provider-intake', 'egov-result-delivery']) {
      fs.copyFileSync(path.resolve(__dirname, '../../processes', `${shared}.bpmn`), path.join(dir, `${shared}.bpmn`));
    }
    t = await startTestHost({ processesDir: dir });
    base = `${t.url}/engine-rest`;
  });
  afterAll(() => t.close());

  async function modelerFetch(auth: Auth | null, route: string, init: { method?: string; body?: Buffer | string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers, accept: 'application/json' };
    if (auth) headers.authorization = authHeader(auth);
    const response = await fetch(`${base}${route}`, { method: init.method ?? 'GET', body: init.body, headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  function deploy(auth: Auth, contents: string, options: { name?: string; tenantId?: string; fileName?: string } = {}) {
    const fileName = options.fileName ?? FILE;
    const parts: Parameters<typeof chromiumMultipart>[0] = [
      { name: 'deployment-name', value: options.name ?? KEY },
      { name: 'deployment-source', value: 'Camunda Modeler' },
      { name: 'enable-duplicate-filtering', value: 'true' },
    ];
    if (options.tenantId) parts.push({ name: 'tenant-id', value: options.tenantId });
    parts.push({ name: fileName, filename: fileName, type: 'text/xml', content: contents });
    const { body, contentType } = chromiumMultipart(parts);
    return modelerFetch(auth, '/deployment/create', { method: 'POST', body, headers: { 'content-type': contentType } });
  }

  function start(auth: Auth, processDefinition: { id: string }, options: { businessKey?: string; variables?: unknown }) {
    const body = JSON.stringify({ businessKey: options.businessKey, variables: options.variables });
    return modelerFetch(auth, `/process-definition/${processDefinition.id}/start`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  }

  it('answers "test connection" (version and an empty deployment page) and refuses bad credentials', async () => {
    const version = await modelerFetch(admin, '/version');
    expect(version.status).toBe(200);
    expect(version.body.version).toMatch(/^7\.\d+\.\d+$/);

    const check = await modelerFetch(admin, '/deployment?maxResults=0');
    expect(check.status).toBe(200);
    expect(check.body).toEqual([]);
    expect((await modelerFetch({ token: tokenOf('admin') }, '/deployment?maxResults=0')).status).toBe(200);

    const wrong = await modelerFetch({ username: 'admin', password: 'not-the-token' }, '/deployment?maxResults=0');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    // The token of another user does not pass under the admin's name.
    expect((await modelerFetch({ username: 'admin', password: tokenOf('olga-office') }, '/deployment?maxResults=0')).status).toBe(401);
    expect((await modelerFetch(null, '/deployment?maxResults=0')).status).toBe(401);
  });

  let firstDeployment: any;

  it('deploys a new diagram as version 1', async () => {
    const res = await deploy(admin, SOURCE);
    expect(res.status).toBe(200);
    expect(res.body.id).toEqual(expect.any(String));
    expect(res.body).toMatchObject({ name: KEY, source: 'Camunda Modeler', tenantId: null });
    const definitions = Object.values(res.body.deployedProcessDefinitions) as any[];
    expect(definitions).toEqual([expect.objectContaining({ id: `${KEY}:1`, key: KEY, version: 1, resource: FILE, deploymentId: res.body.id })]);
    firstDeployment = res.body;

    const listed = await modelerFetch(admin, '/deployment');
    expect(listed.body.map((d: any) => d.id)).toContain(res.body.id);
    expect(listed.body[listed.body.length - 1]).toMatchObject({ id: res.body.id, name: KEY, source: 'Camunda Modeler' });
  });

  it('makes no new version for unchanged content (duplicate filtering)', async () => {
    const res = await deploy(admin, SOURCE.replace(/\n/g, '\r\n'));
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(firstDeployment.id);
    expect(res.body.deployedProcessDefinitions).toBeNull();
    const all = await t.call('admin', 'GET', '/process-definitions?all=true');
    expect(all.body.filter((d: any) => d.key === KEY).map((d: any) => d.version)).toEqual([1]);
  });

  let latest: any;

  it('deploys a changed diagram as version 2', async () => {
    const changed = SOURCE.replace('name="Өтінішті тіркеу"', 'name="Өтінішті тіркеу (өзгертілген)"');
    expect(changed).not.toBe(SOURCE);
    const res = await deploy({ token: tokenOf('admin') }, changed);
    expect(res.status).toBe(200);
    expect(res.body.id).not.toBe(firstDeployment.id);
    latest = Object.values(res.body.deployedProcessDefinitions)[0];
    expect(latest).toMatchObject({ id: `${KEY}:2`, key: KEY, version: 2 });
  });

  it('rejects a broken diagram with every problem (element id, rule, message) in a Camunda ParseException', async () => {
    const broken = SOURCE.replace('<bpmn:userTask id="register-application" name="Өтінішті тіркеу" camunda:candidateGroups="office">', '<bpmn:userTask id="register-application" name="Өтінішті тіркеу">').replace(
      /(<bpmn:userTask id="head-resolution"[^>]*>[\s\S]*?)<camunda:property name="timeLimit" value="[^"]*" \/>/,
      '$1',
    );
    expect(broken).not.toBe(SOURCE);
    const res = await deploy(admin, broken);
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('ParseException');
    // Camunda Modeler recognises this prefix and writes the message to its log.
    expect(res.body.message.startsWith('ENGINE-09005 Could not parse BPMN process.')).toBe(true);
    const lines = (res.body.message as string).split('\n').filter((l) => l.startsWith('* '));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\* register-application: \[reglament\/user-task-candidate-group\] .*candidate group.* \| resource modeler-demo-license\.bpmn$/),
        expect.stringMatching(/^\* head-resolution: \[reglament\/time-limit\] .*time limit.* \| resource modeler-demo-license\.bpmn$/),
      ]),
    );
    expect(res.body.details[FILE].errors.length).toBe(lines.length);
    const all = await t.call('admin', 'GET', '/process-definitions?all=true');
    expect(all.body.filter((d: any) => d.key === KEY).map((d: any) => d.version)).toEqual([1, 2]);

    const garbage = await deploy(admin, '<definitions');
    expect(garbage.status).toBe(400);
    expect(garbage.body.message).toMatch(/^ENGINE-09005 Could not parse BPMN process\./);
  });

  it('lets only admins and the deployer group deploy, and has no tenants', async () => {
    const clerk = await deploy({ username: 'olga-office', password: tokenOf('olga-office') }, COTTON_SOURCE, { fileName: `${COTTON}.bpmn` });
    expect(clerk.status).toBe(403);
    expect(clerk.body.type).toBe('AuthorizationException');
    const tenant = await deploy(admin, COTTON_SOURCE, { tenantId: 'tenant-1', fileName: `${COTTON}.bpmn` });
    expect(tenant.status).toBe(400);
    expect(tenant.body.type).toBe('InvalidRequestException');
  });

  it('starts an instance with Camunda-typed variables; the task list shows its first task', async () => {
    const variables = {
      variant: { value: 'issue', type: 'String' },
      resultForm: { value: 'electronic', type: 'String' },
      applicantName: { value: 'ТОО «Мақта Терминал»', type: 'String' },
      applicantIinBin: { value: '140540012346', type: 'String' },
    };
    const bad = await start(admin, latest, { businessKey: 'default', variables: { ...variables, applicantIinBin: { value: '12AB', type: 'String' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('InvalidRequestException');
    expect(bad.body.message).toContain('applicantIinBin');

    const res = await start(admin, latest, { businessKey: 'default', variables });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: expect.any(String), definitionId: `${KEY}:2`, businessKey: 'default', ended: false, suspended: false, tenantId: null });
    expect(res.body.links[0]).toMatchObject({ rel: 'self', method: 'GET' });

    const tasks = await t.call('olga-office', 'GET', `/tasks?processInstanceId=${res.body.id}`);
    expect(tasks.body.items.map((x: any) => [x.taskDefinitionKey, x.name, x.businessKey])).toEqual([['register-application', 'Өтінішті тіркеу (өзгертілген)', 'default']]);

    // The modeler keeps the definition of an earlier deploy: an older version is refused clearly.
    const old = await start(admin, { id: `${KEY}:1` }, { businessKey: 'default', variables });
    expect(old.status).toBe(400);
    expect(old.body.message).toContain(`${KEY}:2`);
    const missing = await start(admin, { id: 'no-such-process:1' }, { businessKey: 'default' });
    expect(missing.status).toBe(404);
  });
});
