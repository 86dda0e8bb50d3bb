import { SAMPLE_PDF } from '../support/attachment-files';
import { readRenderedForm } from '../support/rendered-form';
import { basic, cottonCaseAt } from '../support/camunda-client';
import { startFormOf, startValues } from '../support/reglament-driver';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * A replay of what Operaton's webapps-neo (the tasklist and cockpit of Operaton 2.x, which speak
 * nothing but /engine-rest) sends, read from its sources in github:operaton/operaton,
 * webapps-neo/frontend/src (our own code, the requests and the fields it reads):
 * - api/helper.jsx: every call but the sign-in sends HTTP Basic; GET and POST parse every answer as
 *   JSON unless it is 204; PAGINATED_GET and the task lists take "a full page" as "there is more";
 * - api/resources/auth.js (verify_credentials): POST /identity/verify { username, password } without
 *   credentials, `authenticated` and `authenticatedUser` read;
 * - api/resources/filter.js and pages/Tasks.jsx (TasksManage, load_tasks): GET /filter?resourceType=Task,
 *   POST /filter/create, POST /filter/{id}/list?firstResult&maxResults with { sorting: [...] };
 * - api/resources/task.js (get_tasks, tasks_with_process_definitions): GET /task?sortBy&sortOrder&
 *   firstResult&maxResults, then GET /process-definition?processDefinitionIdIn=... for names and versions;
 * - pages/Tasks.jsx (load_task_chain, ClaimButton, comments tab): GET /task/{id},
 *   GET /process-definition/{id}, GET /task/{id}/identity-links, GET /task/{id}/comment,
 *   POST /task/{id}/claim { userId }, POST /task/{id}/comment/create { message }, the attachments tab
 *   (GET /task/{id}/attachment, POST .../attachment/create with its FormData, the .../data link);
 * - pages/StartProcessList.jsx (StartGeneratedForm): the startable definitions, /startForm (no key:
 *   generated), /rendered-form (rendered_form_variables: the values and types the form carries), then
 *   POST /process-definition/{id}/submit-form { variables, businessKey };
 * - api/resources/history.js, process_instance.js, process_definition.js and pages/Processes.jsx (the
 *   cockpit): GET /process-definition/statistics, GET /history/process-instance?unfinished=true paged,
 *   GET /process-instance/{id}, /history/process-instance/{id}, /process-instance/{id}/activity-instances
 *   (markers: nodes with a parentActivityInstanceId), /history/activity-instance, the variables,
 *   /history/task, /history/incident and the runtime /incident (incident.js); the tasklist's
 *   history tab reads /history/user-operation;
 * - components/TaskForm.jsx and TaskForm_helpers.js (GeneratedTaskForm): formKey null and no
 *   camundaFormRef mean a generated form; GET /task/{id}/rendered-form as text (cam-variable-name,
 *   cam-variable-type, required, labels, options) and GET /task/{id}/form-variables; a form with
 *   fields is sent with POST /task/{id}/submit-form { variables, withVariablesInReturn: true }, one
 *   without any completes with POST /task/{id}/complete { variables: {} }.
 */
describe('webapps-neo against /engine-rest', () => {
  let t: TestHost;
  /** Every answer of the replay: the client parses each one as JSON unless it is a 204 or read as text. */
  const answers: { route: string; status: number; contentType: string | null; text: string; asText: boolean }[] = [];

  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(() => t.close());

  const USER = 'specialist-user';

  /** One request as helper.jsx sends it: Basic (unless signing in), JSON body, credentials: include. */
  async function neo(method: string, route: string, body?: unknown, options: { auth?: boolean; asText?: boolean; user?: string } = {}) {
    const headers: Record<string, string> = {};
    if (options.auth !== false) headers.authorization = basic(options.user ?? USER);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    answers.push({ route: `${method} ${route}`, status: response.status, contentType: response.headers.get('content-type'), text, asText: options.asText === true });
    return { status: response.status, text, body: response.status !== 204 && !options.asText && text ? JSON.parse(text) : undefined };
  }

  /** GeneratedTaskForm: the controls as rendered_form_to_schema builds its components, and the values form_data_to_vars sends back. */
  function formComponents(xhtml: string) {
    return readRenderedForm(xhtml).controls.map((c) => ({ key: c.name, varType: c.varType, type: c.tag === 'select' ? 'select' : c.inputType === 'checkbox' || c.varType === 'Boolean' ? 'checkbox' : 'textfield', required: c.required, label: c.label, values: c.options.map((o) => o.value) }));
  }

  it('signs in, lists filters and their tasks page by page, opens a task, reads its form, claims it, comments and submits the form', async () => {
    const first = await cottonCaseAt(t, 'NEO-1', 'initial-check');
    const second = await cottonCaseAt(t, 'NEO-2', 'initial-check');

    // Sign in: no credentials on this one call.
    const signIn = await neo('POST', '/identity/verify', { username: USER, password: tokenOf(USER) }, { auth: false });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ authenticated: true, authenticatedUser: USER });

    // The tasks page: the user's saved filters; one is created in the filter manager.
    expect((await neo('GET', '/filter?resourceType=Task')).body).toEqual([]);
    const created = await neo('POST', '/filter/create', { resourceType: 'Task', name: 'Бастапқы тексеру', owner: USER, query: { candidateGroup: 'specialist', processDefinitionKey: 'cotton-warehouse-license' }, properties: {} });
    expect(created.status).toBe(200);
    const filters = (await neo('GET', '/filter?resourceType=Task')).body as { id: string; name: string; query: Record<string, unknown> }[];
    expect(filters).toEqual([expect.objectContaining({ id: created.body.id, name: 'Бастапқы тексеру', query: { candidateGroup: 'specialist', processDefinitionKey: 'cotton-warehouse-license' } })]);

    // A filter's tasks, a page of one at a time: a full page means there is more, an empty one the end; the order is stable.
    const pages: { id: string; name: string; assignee: string | null; due: string | null }[][] = [];
    for (let firstResult = 0; ; firstResult++) {
      const page = await neo('POST', `/filter/${created.body.id}/list?firstResult=${firstResult}&maxResults=1`, { sorting: [{ sortBy: 'name', sortOrder: 'asc' }] });
      expect(page.status).toBe(200);
      pages.push(page.body);
      if (page.body.length < 1) break;
    }
    const listed = pages.flat();
    expect(listed.map((task) => task.id).sort()).toEqual([first.taskId, second.taskId].sort());
    for (const task of listed) {
      expect(task).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), due: expect.any(String) }));
      expect([null, USER]).toContain(task.assignee);
    }

    // The unfiltered list, and the definitions it names the tasks' processes by.
    const all = await neo('GET', '/task?sortBy=name&sortOrder=asc&firstResult=0&maxResults=20');
    expect(all.status).toBe(200);
    const task = (all.body as { id: string; processDefinitionId: string }[]).find((x) => x.id === first.taskId)!;
    expect(task).toBeDefined();
    const definitions = await neo('GET', `/process-definition?processDefinitionIdIn=${task.processDefinitionId}`);
    expect(definitions.body).toEqual(expect.arrayContaining([expect.objectContaining({ id: task.processDefinitionId, name: expect.any(String), version: expect.any(Number) })]));

    // Opening the task (load_task_chain).
    const opened = await neo('GET', `/task/${first.taskId}`);
    expect(opened.body).toEqual(expect.objectContaining({ id: first.taskId, name: expect.any(String), processDefinitionId: task.processDefinitionId, executionId: expect.any(String), due: expect.any(String), followUp: null, description: expect.any(String), formKey: null, camundaFormRef: null }));
    expect(opened.body.operatonFormRef ?? null).toBeNull();
    const definition = await neo('GET', `/process-definition/${encodeURIComponent(opened.body.processDefinitionId)}`);
    expect(definition.body).toEqual(expect.objectContaining({ id: opened.body.processDefinitionId, name: expect.any(String), version: expect.any(Number) }));
    const links = await neo('GET', `/task/${first.taskId}/identity-links`);
    expect(links.body).toEqual(expect.arrayContaining([{ userId: null, groupId: 'specialist', type: 'candidate' }]));
    expect((await neo('GET', `/task/${first.taskId}/comment`)).body).toEqual([]);

    // The generated form: components from the rendered form, values from form-variables.
    const rendered = await neo('GET', `/task/${first.taskId}/rendered-form`, undefined, { asText: true });
    expect(rendered.status).toBe(200);
    expect(formComponents(rendered.text)).toEqual([{ key: 'documentsComplete', varType: 'Boolean', type: 'checkbox', required: true, label: expect.stringMatching(/\S/), values: [] }]);
    const variables = await neo('GET', `/task/${first.taskId}/form-variables`);
    // Untouched: typed, without a value.
    expect(variables.body).toEqual({ documentsComplete: { type: 'Boolean', value: null, valueInfo: {} } });

    // Claim (the user's own id, as ClaimButton sends it), then a comment.
    const claimed = await neo('POST', `/task/${first.taskId}/claim`, { userId: USER });
    expect(claimed.status).toBe(204);
    expect((await neo('GET', `/task/${first.taskId}`)).body.assignee).toBe(USER);
    const comment = await neo('POST', `/task/${first.taskId}/comment/create`, { message: 'Құжаттар толық' });
    expect(comment.status).toBe(200);
    const comments = (await neo('GET', `/task/${first.taskId}/comment`)).body;
    expect(comments).toEqual([expect.objectContaining({ id: comment.body.id, userId: USER, time: expect.any(String), message: 'Құжаттар толық' })]);

    // The attachments tab (Tasks.jsx TaskAttachments): the list, then an upload as its FormData is built.
    expect((await neo('GET', `/task/${first.taskId}/attachment`)).body).toEqual([]);
    const form = new FormData();
    form.append('attachment-name', 'акт.pdf');
    form.append('attachment-description', '');
    form.append('attachment-type', 'application/pdf');
    form.append('content', new Blob([new Uint8Array(SAMPLE_PDF)], { type: 'application/pdf' }), 'акт.pdf');
    const uploaded = await fetch(`${t.url}/engine-rest/task/${first.taskId}/attachment/create`, { method: 'POST', headers: { authorization: basic(USER) }, body: form });
    const uploadedText = await uploaded.text();
    answers.push({ route: `POST /task/${first.taskId}/attachment/create`, status: uploaded.status, contentType: uploaded.headers.get('content-type'), text: uploadedText, asText: false });
    expect(uploaded.status).toBe(200);
    const attachment = JSON.parse(uploadedText);
    expect((await neo('GET', `/task/${first.taskId}/attachment`)).body).toEqual([expect.objectContaining({ id: attachment.id, name: 'акт.pdf', description: null })]);
    const download = await fetch(`${t.url}/engine-rest/task/${first.taskId}/attachment/${attachment.id}/data`, { headers: { authorization: basic(USER) } });
    expect(Buffer.from(await download.arrayBuffer()).equals(SAMPLE_PDF)).toBe(true);

    // Submit: the form's values typed as form-variables typed them; withVariablesInReturn answers JSON.
    const submitted = await neo('POST', `/task/${first.taskId}/submit-form`, { variables: { documentsComplete: { value: true, type: variables.body.documentsComplete.type } }, withVariablesInReturn: true });
    expect(submitted.status).toBe(200);
    expect(submitted.body.documentsComplete).toEqual({ type: 'Boolean', value: true, valueInfo: {} });
    expect((await neo('GET', `/task/${first.taskId}`)).status).toBe(404);
    const next = (await neo('GET', `/task?processInstanceId=${first.instanceId}&sortBy=name&sortOrder=asc&firstResult=0&maxResults=20`, undefined, { user: 'admin' })).body as { taskDefinitionKey: string }[];
    expect(next.map((x) => x.taskDefinitionKey)).toEqual(['qualification-check']);
  });

  it('completes a task without form fields directly, its rendered form being an empty form', async () => {
    const { taskId } = await cottonCaseAt(t, 'NEO-3', 'register-application');
    const rendered = await neo('GET', `/task/${taskId}/rendered-form`, undefined, { asText: true, user: 'olga-office' });
    expect(rendered.status).toBe(200);
    expect(formComponents(rendered.text)).toEqual([]);
    expect((await neo('GET', `/task/${taskId}/form-variables`, undefined, { user: 'olga-office' })).body).toEqual({});
    expect((await neo('POST', `/task/${taskId}/claim`, { userId: 'olga-office' }, { user: 'olga-office' })).status).toBe(204);
    expect((await neo('POST', `/task/${taskId}/complete`, { variables: {} }, { user: 'olga-office' })).status).toBe(204);
    expect((await neo('GET', `/task/${taskId}`, undefined, { user: 'olga-office' })).status).toBe(404);
  });

  it('starts an application from the start list with the generated start form', async () => {
    const office = { user: 'olga-office' };
    // StartProcessList.jsx / process_definition.js: the startable list, then one definition by its id.
    const startable = (await neo('GET', '/process-definition?latest=true&active=true&startableInTasklist=true&startablePermissionCheck=true&firstResult=0&maxResults=15', undefined, office)).body as { id: string; key: string; name: string }[];
    const cotton = startable.find((d) => d.key === 'cotton-warehouse-license')!;
    expect(cotton).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
    expect((await neo('GET', `/process-definition/${encodeURIComponent(cotton.id)}`, undefined, office)).body.name).toBe(cotton.name);
    // No form key and no form reference: a generated start form.
    const startForm = (await neo('GET', `/process-definition/${encodeURIComponent(cotton.id)}/startForm`, undefined, office)).body;
    expect(startForm.key).toBeNull();
    expect(startForm.camundaFormRef ?? startForm.operatonFormRef ?? null).toBeNull();
    const rendered = await neo('GET', `/process-definition/${encodeURIComponent(cotton.id)}/rendered-form`, undefined, { ...office, asText: true });
    const controls = readRenderedForm(rendered.text).controls;
    // rendered_form_variables: the values the form carries (the channel's default) and each field's type.
    const carried = Object.fromEntries(controls.map((c) => [c.name, { type: c.varType ?? 'String', value: c.tag === 'select' ? c.options.find((o) => o.selected)?.value : (c.value ?? undefined) }]));
    expect(carried.channel).toEqual({ type: 'String', value: 'office' });
    // What the clerk types, the applicant being one the state systems know; sent typed as the form typed it (form_data_to_vars).
    const { fields } = await startFormOf(t, 'cotton-warehouse-license');
    const typed = await startValues(t, 'cotton-warehouse-license', fields, { start: { channel: 'office', variant: 'issue', resultForm: 'electronic' } });
    const variables = Object.fromEntries(Object.entries(typed).filter(([name]) => name in carried).map(([name, value]) => [name, { value, type: carried[name].type }]));
    const started = await neo('POST', `/process-definition/${encodeURIComponent(cotton.id)}/submit-form`, { variables, businessKey: 'NEO-START' }, office);
    expect(started.status).toBe(200);
    expect(started.body).toEqual(expect.objectContaining({ id: expect.any(String), definitionId: cotton.id, businessKey: 'NEO-START', ended: false }));
    const tasks = (await neo('GET', `/task?processInstanceId=${started.body.id}&sortBy=name&sortOrder=asc&firstResult=0&maxResults=20`, undefined, office)).body as { taskDefinitionKey: string }[];
    expect(tasks.map((x) => x.taskDefinitionKey)).toEqual(['register-application']);
  });

  it("the cockpit opens the reglament's running instances, one instance, its activity instances, variables and history", async () => {
    const { instanceId, taskId } = await cottonCaseAt(t, 'NEO-4', 'initial-check');
    const head = { user: 'hasan-head' };

    // The processes page (process_definition.js get_process_definitions): definitions with their running instances.
    const statistics = (await neo('GET', '/process-definition/statistics', undefined, head)).body as { id: string; instances: number; definition: { key: string; name: string; version: number } }[];
    const cotton = statistics.find((d) => d.definition.key === 'cotton-warehouse-license')!;
    expect(cotton).toEqual(expect.objectContaining({ id: expect.any(String), instances: expect.any(Number), definition: expect.objectContaining({ name: expect.any(String), version: expect.any(Number) }) }));
    expect(cotton.instances).toBeGreaterThanOrEqual(1);

    // Its running instances (history.js get_process_instances_unfinished, PAGINATED_GET pages of 20): a full page means more.
    const seen: { id: string; startTime: string; state: string; businessKey: string | null }[] = [];
    for (let firstResult = 0; ; firstResult += 2) {
      const page = await neo('GET', `/history/process-instance?sortBy=startTime&sortOrder=asc&unfinished=true&processDefinitionId=${encodeURIComponent(cotton.id)}&firstResult=${firstResult}&maxResults=2`, undefined, head);
      expect(page.status).toBe(200);
      seen.push(...page.body);
      if (page.body.length < 2) break;
    }
    expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
    expect(seen.map((i) => Date.parse(i.startTime))).toEqual([...seen.map((i) => Date.parse(i.startTime))].sort((x, y) => x - y));
    expect(seen.find((i) => i.id === instanceId)).toEqual(expect.objectContaining({ id: instanceId, startTime: expect.any(String), state: 'ACTIVE', businessKey: 'NEO-4' }));

    // One instance: runtime, history, the diagram's markers from the activity instance tree.
    expect((await neo('GET', `/process-instance/${instanceId}`, undefined, head)).body).toEqual(expect.objectContaining({ id: instanceId, businessKey: 'NEO-4', definitionId: cotton.id, ended: false, suspended: false }));
    expect((await neo('GET', `/history/process-instance/${instanceId}`, undefined, head)).body).toEqual(expect.objectContaining({ id: instanceId, businessKey: 'NEO-4', startTime: expect.any(String), endTime: null, state: 'ACTIVE', startUserId: 'olga-office' }));
    const tree = (await neo('GET', `/process-instance/${instanceId}/activity-instances`, undefined, head)).body;
    // flatten_activity_instances: every node below the root (it has a parent) is a marker.
    const markers: { activityId: string; parentActivityInstanceId: string }[] = [];
    const flatten = (node: { activityId: string; parentActivityInstanceId: string | null; childActivityInstances?: unknown[] }) => {
      if (node.activityId && node.parentActivityInstanceId) markers.push(node as { activityId: string; parentActivityInstanceId: string });
      for (const child of (node.childActivityInstances ?? []) as (typeof node)[]) flatten(child);
    };
    flatten(tree);
    expect(tree.parentActivityInstanceId).toBeNull();
    expect(markers.map((m) => m.activityId)).toContain('initial-check');
    const historic = (await neo('GET', `/history/activity-instance?processInstanceId=${instanceId}&sortBy=startTime&sortOrder=asc`, undefined, head)).body as { id: string; activityId: string; canceled: boolean }[];
    expect(historic.map((a) => a.activityId)).toEqual(expect.arrayContaining(['register-application', 'initial-check']));
    for (const activity of historic) expect(activity).toEqual(expect.objectContaining({ id: expect.any(String), activityId: expect.any(String), canceled: false }));

    // The variables and history tabs.
    const variables = (await neo('GET', `/process-instance/${instanceId}/variables?deserializeValues=false`, undefined, head)).body;
    expect(variables.variant).toEqual({ type: 'String', value: 'issue', valueInfo: {} });
    const historicVariables = (await neo('GET', `/history/variable-instance?processInstanceId=${instanceId}&deserializeValues=false`, undefined, head)).body as { name: string; type: string; value: unknown }[];
    expect(historicVariables.find((v) => v.name === 'variant')).toEqual(expect.objectContaining({ name: 'variant', type: 'String', value: 'issue' }));
    const tasks = (await neo('GET', `/history/task?processInstanceId=${instanceId}`, undefined, head)).body as { id: string; name: string; taskDefinitionKey: string; startTime: string }[];
    expect(tasks.map((x) => x.taskDefinitionKey)).toEqual(expect.arrayContaining(['register-application', 'initial-check']));
    expect(tasks.find((x) => x.id === taskId)).toEqual(expect.objectContaining({ name: expect.any(String), startTime: expect.any(String), assignee: expect.anything() }));
    expect((await neo('GET', `/history/incident?processInstanceId=${instanceId}`, undefined, head)).body).toEqual([]);
    expect((await neo('GET', `/incident?processInstanceId=${instanceId}`, undefined, head)).body).toEqual([]);

    // The task's history tab in the tasklist (load_task_chain, history_from_operations) sends the
    // task's executionId as processInstanceId (in Camunda a sequential task runs in the instance's own
    // execution) and shows each entry's timestamp, userId, operationType, property and newValue.
    const opened = (await neo('GET', `/task/${taskId}`)).body;
    const operations = await neo('GET', `/history/user-operation?processInstanceId=${opened.executionId}&sortBy=timestamp&sortOrder=desc`);
    expect(operations.status).toBe(200);
    const entries = operations.body as { timestamp: string; userId: string | null; operationType: string; taskId: string | null }[];
    // The earlier steps were completed by their users (cottonCaseAt: the user of each step's group), the office's registration among them.
    expect(entries.filter((e) => e.operationType === 'Complete').map((e) => e.userId)).toEqual(expect.arrayContaining(['office-user', 'head-user']));
    for (const entry of entries) expect(entry).toEqual(expect.objectContaining({ timestamp: expect.any(String), operationType: expect.any(String) }));
    expect(entries.map((e) => Date.parse(e.timestamp))).toEqual([...entries.map((e) => Date.parse(e.timestamp))].sort((x, y) => y - x));
  });

  it('got JSON for every answer the client parses (all but 204 and the rendered forms), and nothing for a 204', () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) {
      if (answer.status === 204) expect({ route: answer.route, text: answer.text }).toEqual({ route: answer.route, text: '' });
      else if (answer.asText) expect({ route: answer.route, contentType: answer.contentType }).toEqual({ route: answer.route, contentType: expect.stringMatching(/^application\/xhtml\+xml/) });
      else expect({ route: answer.route, contentType: answer.contentType, json: () => JSON.parse(answer.text) }).toEqual({ route: answer.route, contentType: expect.stringMatching(/^application\/json/), json: expect.any(Function) });
    }
    for (const answer of answers.filter((a) => a.status !== 204 && !a.asText)) expect(() => JSON.parse(answer.text)).not.toThrow();
  });
});
