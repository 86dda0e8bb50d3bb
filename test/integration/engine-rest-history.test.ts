import path from 'node:path';
import { createDefaultHandlers } from '../../src/handlers';
import { BusinessError } from '../../src/handlers/registry';
import { startTestHost, TestHost, tokenOf } from '../support/test-host';

/*
 * Issue 20 points 3 and 4 as a Camunda 7.24 cockpit reads them (webapps-neo's process instance view,
 * its diagram markers and its history tabs): /process-instance (query, one, variables, activity
 * instances), /history/process-instance, activity-instance, task, variable-instance, incident and
 * user-operation, and /message. One application of the fixture er-application is driven through its
 * steps (office check, a specialist's review in the called er-review, a registration whose system is
 * down until an admin retries); every shape, filter, sort, page and count is checked on it and on
 * three more applications, and a user of another office sees none of them.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/processes/engine-rest');
const camundaDate = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/);

describe('process instances and history on /engine-rest', () => {
  let t: TestHost;
  let registryDown = true;
  /** The application driven to its end, its called review, and three more waiting at the office check. */
  let main: string;
  let review: string;
  let waiting: string[];
  let checkTaskId: string;
  let reviewTaskId: string;
  let incidentId: string;
  /** The diagram markers as the instance waited at the office check (its runtime tree). */
  let treeAtCheck: any;

  async function camunda(user: string, method: string, route: string, body?: unknown) {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Basic ${Buffer.from(`${user}:${tokenOf(user)}`).toString('base64')}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${t.url}/engine-rest${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const ok = async (user: string, method: string, route: string, body?: unknown) => {
    const answer = await camunda(user, method, route, body);
    expect({ route, status: answer.status }).toEqual({ route, status: method === 'GET' || !/\/(claim|complete|submit-form)$/.test(route) || route.includes('process-definition') ? 200 : 204 });
    return answer.body;
  };
  const submit = (businessKey: string, name: string) => ok('olga-office', 'POST', '/process-definition/key/er-application/submit-form', { businessKey, variables: { applicantName: { value: name, type: 'String' }, amount: { value: 7, type: 'Long' } } });

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register('er.register', 'Test registry', async () => {
      if (registryDown) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      return { registrationNumber: 'REG-1' };
    }, ['registrationNumber']);
    t = await startTestHost({ processesDir: FIXTURES, handlers });

    main = (await submit('ER-MAIN', 'Aigerim')).id;
    waiting = [(await submit('ER-W1', 'Bolat')).id, (await submit('ER-W2', 'Daulet')).id, (await submit('ER-W3', 'Erlan')).id];
    checkTaskId = (await ok('olga-office', 'GET', `/task?processInstanceId=${main}`))[0].id;
    treeAtCheck = await ok('olga-office', 'GET', `/process-instance/${main}/activity-instances`);
    await ok('olga-office', 'POST', `/task/${checkTaskId}/claim`, { userId: 'olga-office' });
    await ok('olga-office', 'POST', `/task/${checkTaskId}/submit-form`, { variables: { approved: { value: true, type: 'Boolean' } } });
    review = (await ok('admin', 'GET', `/process-instance?superProcessInstance=${main}`))[0].id;
    reviewTaskId = (await ok('sanzhar-specialist', 'GET', `/task?processInstanceId=${review}`))[0].id;
    await ok('sanzhar-specialist', 'POST', `/task/${reviewTaskId}/claim`, { userId: 'sanzhar-specialist' });
    await ok('sanzhar-specialist', 'POST', `/task/${reviewTaskId}/complete`, { variables: { checked: { value: true, type: 'Boolean' } } });
  });
  afterAll(() => t.close());

  it('shows the registration stuck on an incident in the activity tree, the incident history and the statistics', async () => {
    const tree = await ok('admin', 'GET', `/process-instance/${main}/activity-instances`);
    const incidents = await ok('admin', 'GET', `/history/incident?processInstanceId=${main}`);
    expect(incidents).toEqual([
      {
        id: expect.any(String),
        processDefinitionKey: 'er-application',
        processDefinitionId: 'er-application:1',
        processInstanceId: main,
        executionId: main,
        rootProcessInstanceId: main,
        createTime: camundaDate,
        endTime: null,
        removalTime: null,
        incidentType: 'failedJob',
        activityId: 'register',
        failedActivityId: 'register',
        causeIncidentId: expect.any(String),
        rootCauseIncidentId: expect.any(String),
        configuration: 'er.register',
        historyConfiguration: null,
        incidentMessage: expect.stringContaining('ECONNREFUSED'),
        tenantId: null,
        jobDefinitionId: null,
        open: true,
        deleted: false,
        resolved: false,
        annotation: null,
      },
    ]);
    incidentId = incidents[0].id;
    expect(tree.childActivityInstances).toEqual([expect.objectContaining({ activityId: 'register', activityType: 'serviceTask', parentActivityInstanceId: main, incidentIds: [incidentId], incidents: [{ id: incidentId, parentActivityInstanceId: tree.childActivityInstances[0].id }] })]);
    expect(await ok('admin', 'GET', `/history/incident?processInstanceId=${main}&open=true`)).toHaveLength(1);
    expect(await ok('admin', 'GET', `/history/incident?processInstanceId=${main}&resolved=true`)).toEqual([]);
    expect(await ok('admin', 'GET', `/history/incident?processDefinitionId=er-application:1&incidentType=failedExternalTask`)).toEqual([]);
    expect(await ok('admin', 'GET', `/history/incident/count?processDefinitionId=er-application:1`)).toEqual({ count: 1 });
    // Another office reads none of it.
    expect(await ok('bota-other-bodies', 'GET', `/history/incident?processDefinitionId=er-application:1`)).toEqual([]);

    // The registry is back; the admin retries (on /api) and the application ends.
    registryDown = false;
    expect((await t.call('admin', 'POST', `/process-instances/${main}/retry`)).body).toMatchObject({ resolved: true, instance: { state: 'completed' } });
    expect(await ok('admin', 'GET', `/history/incident?processInstanceId=${main}&resolved=true`)).toEqual([expect.objectContaining({ id: incidentId, open: false, resolved: true, endTime: camundaDate })]);
  });

  it('answers the runtime instance query with filters, sorting, paging and count, only running instances', async () => {
    const json = (id: string, businessKey: string, key = 'er-application') => ({
      links: [{ method: 'GET', href: expect.stringContaining(`/engine-rest/process-instance/${id}`), rel: 'self' }],
      id,
      definitionId: `${key}:1`,
      definitionKey: key,
      businessKey,
      caseInstanceId: null,
      ended: false,
      suspended: false,
      tenantId: null,
    });
    const [w1, w2, w3] = waiting;
    const cases: [string, string, unknown][] = [
      ['admin', '/process-instance?processDefinitionKey=er-application&sortBy=businessKey&sortOrder=asc', [json(w1, 'ER-W1'), json(w2, 'ER-W2'), json(w3, 'ER-W3')]],
      ['admin', '/process-instance?processDefinitionKey=er-application&sortBy=businessKey&sortOrder=desc&firstResult=1&maxResults=1', [json(w2, 'ER-W2')]],
      ['admin', '/process-instance?businessKey=ER-W3', [json(w3, 'ER-W3')]],
      ['admin', '/process-instance?businessKeyLike=ER-W%25&activityIdIn=check&sortBy=businessKey&sortOrder=asc&maxResults=2', [json(w1, 'ER-W1'), json(w2, 'ER-W2')]],
      ['admin', '/process-instance?activityIdIn=register', []],
      // The finished application and its finished review are history, not runtime.
      ['admin', `/process-instance?processInstanceIds=${main},${review},${w1}`, [json(w1, 'ER-W1')]],
      ['admin', '/process-instance?suspended=true', []],
      ['olga-office', '/process-instance?processDefinitionKey=er-application&sortBy=businessKey&sortOrder=asc&maxResults=1', [json(w1, 'ER-W1')]],
      ['bota-other-bodies', '/process-instance?processDefinitionKey=er-application', []],
    ];
    for (const [user, route, expected] of cases) {
      expect({ user, route, body: await ok(user, 'GET', route) }).toEqual({ user, route, body: expected });
    }
    expect(await ok('admin', 'POST', '/process-instance?maxResults=2', { processDefinitionKey: 'er-application', sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] })).toEqual([json(w3, 'ER-W3'), json(w2, 'ER-W2')]);
    expect(await ok('admin', 'POST', '/process-instance/count', { processDefinitionKey: 'er-application', activityIdIn: ['check'] })).toEqual({ count: 3 });
    expect(await ok('bota-other-bodies', 'GET', '/process-instance/count')).toEqual({ count: 0 });
    expect(await ok('olga-office', 'GET', `/process-instance/${w2}`)).toEqual(json(w2, 'ER-W2'));
  });

  it.each([
    ['an instance of another office', 'bota-other-bodies', 'GET', () => `/process-instance/${waiting[0]}`, 403, 'AuthorizationException', "does not have 'READ' permission"],
    ['its history', 'bota-other-bodies', 'GET', () => `/history/process-instance/${main}`, 403, 'AuthorizationException', "does not have 'READ' permission"],
    ['an unknown instance', 'admin', 'GET', () => '/process-instance/no-such', 404, 'InvalidRequestException', 'Process instance with id no-such does not exist'],
    ['an unknown historic instance', 'admin', 'GET', () => '/history/process-instance/no-such', 404, 'InvalidRequestException', 'Historic process instance with id no-such does not exist'],
    ['a finished instance on the runtime', 'admin', 'GET', () => `/process-instance/${main}`, 404, 'InvalidRequestException', 'it has ended'],
    ['an unknown variable', 'admin', 'GET', () => `/process-instance/${waiting[0]}/variables/nothing`, 404, 'InvalidRequestException', 'nothing'],
    ['a variables filter', 'admin', 'GET', () => '/process-instance?variables=amount_eq_7', 400, 'InvalidRequestException', "'variables' is not supported"],
    ['a bad sortBy', 'admin', 'GET', () => '/history/process-instance?sortBy=colour&sortOrder=asc', 400, 'InvalidRequestException', "'sortBy' to value 'colour'"],
    ['sortOrder alone', 'admin', 'GET', () => '/history/task?sortOrder=asc', 400, 'InvalidRequestException', 'sortBy and sortOrder required'],
    ['a bad date', 'admin', 'GET', () => '/history/process-instance?startedAfter=yesterday', 400, 'InvalidRequestException', "'startedAfter' to value 'yesterday'"],
    ['activities of no instance', 'admin', 'GET', () => '/history/activity-instance', 400, 'InvalidRequestException', "'processInstanceId' is required"],
    ['variables of no instance', 'admin', 'GET', () => '/history/variable-instance', 400, 'InvalidRequestException', "'processInstanceId' is required"],
    ['a message', 'admin', 'POST', () => '/message', 400, 'InvalidRequestException', 'No message name supplied'],
  ])('%s: Camunda error shape', async (_what, user, method, route, status, type, message) => {
    const answer = await camunda(user, method, route(), method === 'POST' ? {} : undefined);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ type, message: expect.stringContaining(message) });
  });

  it('reads an instance’s variables typed and refuses to change them', async () => {
    const variables = await ok('olga-office', 'GET', `/process-instance/${waiting[0]}/variables?deserializeValues=false`);
    expect(variables).toEqual({ amount: { type: 'Integer', value: 7, valueInfo: {} }, applicantName: { type: 'String', value: 'Bolat', valueInfo: {} } });
    expect(await ok('olga-office', 'GET', `/process-instance/${waiting[0]}/variables/applicantName`)).toEqual({ type: 'String', value: 'Bolat', valueInfo: {} });
    for (const [method, route, body] of [
      ['PUT', `/process-instance/${waiting[0]}/variables/applicantName`, { value: 'Forged', type: 'String' }],
      ['POST', `/process-instance/${waiting[0]}/variables`, { modifications: { applicantName: { value: 'Forged', type: 'String' } } }],
      ['DELETE', `/process-instance/${waiting[0]}/variables/applicantName`, undefined],
    ] as const) {
      const answer = await camunda('admin', method, route, body);
      expect({ method, ...answer }).toEqual({ method, status: 403, body: { type: 'AuthorizationException', message: expect.stringContaining('only through the form of their own step') } });
    }
    expect(await ok('olga-office', 'GET', `/process-instance/${waiting[0]}/variables`)).toEqual(variables);
  });

  it('draws the diagram markers from the activity instance tree, with the ids the history uses', async () => {
    expect(treeAtCheck).toEqual({
      id: main,
      parentActivityInstanceId: null,
      activityId: 'er-application:1',
      activityType: 'processDefinition',
      processInstanceId: main,
      processDefinitionId: 'er-application:1',
      childActivityInstances: [
        {
          id: expect.stringMatching(/^check:/),
          parentActivityInstanceId: main,
          activityId: 'check',
          activityType: 'userTask',
          processInstanceId: main,
          processDefinitionId: 'er-application:1',
          childActivityInstances: [],
          childTransitionInstances: [],
          executionIds: [expect.any(String)],
          activityName: 'Check the application',
          incidentIds: [],
          incidents: [],
          name: 'Check the application',
        },
      ],
      childTransitionInstances: [],
      executionIds: [main],
      activityName: 'Engine-rest application',
      incidentIds: [],
      incidents: [],
      name: 'Engine-rest application',
    });
    const check = treeAtCheck.childActivityInstances[0];
    const task = (await ok('olga-office', 'GET', `/history/task?taskId=${checkTaskId}`))[0];
    expect(check.executionIds).toEqual([task.executionId]);
    expect(task.activityInstanceId).toBe(check.id);
    const activities = await ok('olga-office', 'GET', `/history/activity-instance?processInstanceId=${main}&activityId=check`);
    expect(activities.map((a: { id: string }) => a.id)).toEqual([check.id]);
    // A running called flow has its own tree; the caller waits in the call activity.
    const waitingTree = await ok('olga-office', 'GET', `/process-instance/${waiting[1]}/activity-instances`);
    expect(waitingTree.childActivityInstances.map((a: { activityId: string }) => a.activityId)).toEqual(['check']);
  });

  it('lists the application’s activity history in order, each with its task, called instance and times', async () => {
    const activities = await ok('olga-office', 'GET', `/history/activity-instance?processInstanceId=${main}&sortBy=startTime&sortOrder=asc`);
    const common = { processDefinitionKey: 'er-application', processDefinitionId: 'er-application:1', processInstanceId: main, parentActivityInstanceId: main, calledCaseInstanceId: null, startTime: camundaDate, endTime: camundaDate, durationInMillis: expect.any(Number), canceled: false, tenantId: null, removalTime: null, rootProcessInstanceId: main };
    expect(activities).toEqual([
      { ...common, id: expect.stringMatching(/^start:/), activityId: 'start', activityName: 'Application filed', activityType: 'startEvent', executionId: main, taskId: null, assignee: null, calledProcessInstanceId: null, completeScope: false },
      { ...common, id: treeAtCheck.childActivityInstances[0].id, activityId: 'check', activityName: 'Check the application', activityType: 'userTask', executionId: expect.any(String), taskId: checkTaskId, assignee: 'olga-office', calledProcessInstanceId: null, completeScope: false },
      { ...common, id: expect.stringMatching(/^call-review:/), activityId: 'call-review', activityName: 'Review by a specialist', activityType: 'callActivity', executionId: expect.any(String), taskId: null, assignee: null, calledProcessInstanceId: review, completeScope: false },
      { ...common, id: expect.stringMatching(/^register:/), activityId: 'register', activityName: 'Register', activityType: 'serviceTask', executionId: main, taskId: null, assignee: null, calledProcessInstanceId: null, completeScope: false },
      { ...common, id: expect.stringMatching(/^registered:/), activityId: 'registered', activityName: 'Registered', activityType: 'noneEndEvent', executionId: main, taskId: null, assignee: null, calledProcessInstanceId: null, completeScope: true },
    ]);
    const ids = activities.map((a: { id: string }) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    const starts = activities.map((a: { startTime: string }) => a.startTime);
    expect([...starts].sort()).toEqual(starts);
    const cases: [string, string[]][] = [
      [`processInstanceId=${main}&activityType=userTask`, ['check']],
      [`processInstanceId=${main}&taskAssignee=olga-office`, ['check']],
      [`processInstanceId=${main}&sortBy=activityId&sortOrder=desc&maxResults=2`, ['start', 'registered']],
      [`processInstanceId=${main}&sortBy=activityId&sortOrder=desc&firstResult=2&maxResults=2`, ['register', 'check']],
      [`processInstanceId=${main}&unfinished=true`, []],
      [`processInstanceId=${waiting[0]}&unfinished=true`, ['check']],
      [`processInstanceId=${waiting[0]}&finished=true`, ['start']],
      [`processInstanceId=${review}`, ['start', 'review', 'end']],
    ];
    for (const [query, expected] of cases) {
      expect({ query, ids: (await ok('olga-office', 'GET', `/history/activity-instance?${query}`)).map((a: { activityId: string }) => a.activityId) }).toEqual({ query, ids: expected });
    }
    expect(await ok('olga-office', 'GET', `/history/activity-instance/count?processInstanceId=${main}`)).toEqual({ count: 5 });
    expect(await ok('olga-office', 'POST', `/history/activity-instance/count`, { processInstanceId: main, activityType: 'serviceTask' })).toEqual({ count: 1 });
    // Another office's application: nothing.
    expect(await ok('bota-other-bodies', 'GET', `/history/activity-instance?processInstanceId=${main}`)).toEqual([]);
  });

  it('lists historic process instances as webapps-neo does (unfinished=true, startTime asc, full pages) with filters and count', async () => {
    const one = await ok('olga-office', 'GET', `/history/process-instance/${main}`);
    expect(one).toEqual({
      id: main,
      rootProcessInstanceId: main,
      superProcessInstanceId: null,
      superCaseInstanceId: null,
      caseInstanceId: null,
      processDefinitionName: 'Engine-rest application',
      processDefinitionKey: 'er-application',
      processDefinitionVersion: 1,
      processDefinitionId: 'er-application:1',
      businessKey: 'ER-MAIN',
      startTime: camundaDate,
      endTime: camundaDate,
      removalTime: null,
      durationInMillis: expect.any(Number),
      startUserId: 'olga-office',
      startActivityId: 'start',
      deleteReason: null,
      tenantId: null,
      state: 'COMPLETED',
      restartedProcessInstanceId: null,
    });
    const reviewJson = await ok('sanzhar-specialist', 'GET', `/history/process-instance/${review}`);
    expect(reviewJson).toMatchObject({ id: review, rootProcessInstanceId: main, superProcessInstanceId: main, processDefinitionKey: 'er-review', state: 'COMPLETED' });

    const keys = async (user: string, query: string) => (await ok(user, 'GET', `/history/process-instance?${query}`)).map((i: { businessKey: string; processDefinitionKey: string }) => `${i.processDefinitionKey}/${i.businessKey}`);
    const definition = 'processDefinitionId=er-application:1';
    // webapps-neo pages by 20 and asks for the next page while a page is full; a page of 2 here.
    const unfinished = await ok('olga-office', 'GET', `/history/process-instance?sortBy=startTime&sortOrder=asc&unfinished=true&${definition}`);
    expect(unfinished.map((i: { businessKey: string }) => i.businessKey).sort()).toEqual(['ER-W1', 'ER-W2', 'ER-W3']);
    const starts = unfinished.map((i: { startTime: string }) => i.startTime);
    expect([...starts].sort()).toEqual(starts);
    const first = await keys('olga-office', `sortBy=startTime&sortOrder=asc&unfinished=true&${definition}&firstResult=0&maxResults=2`);
    const second = await keys('olga-office', `sortBy=startTime&sortOrder=asc&unfinished=true&${definition}&firstResult=2&maxResults=2`);
    expect([...first, ...second]).toEqual(unfinished.map((i: { businessKey: string }) => `er-application/${i.businessKey}`));
    expect(second).toHaveLength(1);
    const cases: [string, string, string[]][] = [
      ['olga-office', `sortBy=businessKey&sortOrder=asc&${definition}`, ['er-application/ER-MAIN', 'er-application/ER-W1', 'er-application/ER-W2', 'er-application/ER-W3']],
      ['olga-office', `finished=true&${definition}`, ['er-application/ER-MAIN']],
      ['olga-office', `finished=true&unfinished=true`, []],
      ['olga-office', 'processInstanceBusinessKey=ER-W2', ['er-application/ER-W2']],
      ['olga-office', 'processDefinitionKey=er-review', ['er-review/ER-MAIN']],
      ['olga-office', `superProcessInstanceId=${main}`, ['er-review/ER-MAIN']],
      ['olga-office', `subProcessInstanceId=${review}`, ['er-application/ER-MAIN']],
      ['olga-office', 'rootProcessInstances=true&processInstanceBusinessKeyLike=ER-M%25', ['er-application/ER-MAIN']],
      ['olga-office', 'processDefinitionKeyIn=er-review,er-application&sortBy=businessKey&sortOrder=desc&maxResults=2', ['er-application/ER-W3', 'er-application/ER-W2']],
      ['olga-office', 'startedAfter=2000-01-01T00:00:00.000%2B0000&startedBefore=2000-01-02T00:00:00.000%2B0000', []],
      ['olga-office', `startedAfter=2000-01-01T00:00:00.000%2B0000&finishedBefore=2999-01-01T00:00:00.000%2B0000&${definition}`, ['er-application/ER-MAIN']],
      ['olga-office', 'startedBy=olga-office&activeActivityIdIn=check&sortBy=businessKey&sortOrder=asc', ['er-application/ER-W1', 'er-application/ER-W2', 'er-application/ER-W3']],
      // The specialist worked in the called review: the whole application is theirs to read, not the others.
      ['sanzhar-specialist', 'sortBy=startTime&sortOrder=asc', ['er-application/ER-MAIN', 'er-review/ER-MAIN']],
      ['bota-other-bodies', '', []],
    ];
    for (const [user, query, expected] of cases) {
      expect({ user, query, keys: await keys(user, query) }).toEqual({ user, query, keys: expected });
    }
    expect(await ok('olga-office', 'POST', '/history/process-instance?maxResults=1', { processDefinitionId: 'er-application:1', unfinished: true, sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] })).toEqual([expect.objectContaining({ businessKey: 'ER-W3', state: 'ACTIVE', endTime: null, durationInMillis: null })]);
    expect(await ok('olga-office', 'GET', `/history/process-instance/count?${definition}&unfinished=true`)).toEqual({ count: 3 });
    expect(await ok('olga-office', 'POST', '/history/process-instance/count', { processDefinitionKey: 'er-application', finished: true })).toEqual({ count: 1 });
  });

  it('lists historic tasks of every state with filters, sorting and count', async () => {
    const tasks = await ok('olga-office', 'GET', `/history/task?processInstanceId=${main}`);
    expect(tasks).toEqual([
      {
        id: checkTaskId,
        processDefinitionKey: 'er-application',
        processDefinitionId: 'er-application:1',
        processInstanceId: main,
        executionId: expect.any(String),
        caseDefinitionKey: null,
        caseDefinitionId: null,
        caseInstanceId: null,
        caseExecutionId: null,
        activityInstanceId: treeAtCheck.childActivityInstances[0].id,
        name: 'Check the application',
        description: null,
        deleteReason: 'completed',
        owner: null,
        assignee: 'olga-office',
        startTime: camundaDate,
        endTime: camundaDate,
        duration: expect.any(Number),
        taskDefinitionKey: 'check',
        priority: 50,
        due: camundaDate,
        parentTaskId: null,
        followUp: null,
        tenantId: null,
        removalTime: null,
        rootProcessInstanceId: main,
        taskState: 'Completed',
      },
    ]);
    const names = async (user: string, query: string) => (await ok(user, 'GET', `/history/task?${query}`)).map((task: { taskDefinitionKey: string; processInstanceId: string }) => `${task.taskDefinitionKey}@${[main, review, ...waiting].indexOf(task.processInstanceId)}`);
    const cases: [string, string, string[]][] = [
      ['olga-office', 'processDefinitionKey=er-application&finished=true', ['check@0']],
      ['olga-office', 'processDefinitionKey=er-application&unfinished=true&sortBy=processInstanceId&sortOrder=asc', [...waiting].sort().map((id) => `check@${[main, review, ...waiting].indexOf(id)}`)],
      ['olga-office', 'taskAssignee=sanzhar-specialist', ['review@1']],
      ['olga-office', `processInstanceBusinessKey=ER-MAIN&sortBy=startTime&sortOrder=desc`, ['review@1', 'check@0']],
      ['olga-office', 'taskNameLike=Rev%25', ['review@1']],
      ['olga-office', 'processDefinitionKey=er-application&sortBy=endTime&sortOrder=desc&maxResults=1', ['check@0']],
      ['sanzhar-specialist', `processInstanceId=${main}`, ['check@0']],
      ['bota-other-bodies', '', []],
    ];
    for (const [user, query, expected] of cases) {
      expect({ user, query, tasks: await names(user, query) }).toEqual({ user, query, tasks: expected });
    }
    expect(await ok('olga-office', 'GET', `/history/task/count?processDefinitionKey=er-application`)).toEqual({ count: 4 });
    expect((await ok('olga-office', 'GET', `/history/task?processInstanceId=${waiting[0]}`))[0]).toMatchObject({ taskState: 'Created', endTime: null, duration: null, deleteReason: null });
  });

  it('lists an instance’s variables with the time each was first set', async () => {
    const variables = await ok('olga-office', 'GET', `/history/variable-instance?processInstanceId=${main}&deserializeValues=false`);
    expect(variables.map((v: { name: string }) => v.name)).toEqual(['amount', 'applicantName', 'approved', 'checked', 'registrationNumber']);
    expect(variables.find((v: { name: string }) => v.name === 'registrationNumber')).toEqual({
      type: 'String',
      value: 'REG-1',
      valueInfo: {},
      id: `${main}:registrationNumber`,
      name: 'registrationNumber',
      processDefinitionKey: 'er-application',
      processDefinitionId: 'er-application:1',
      processInstanceId: main,
      executionId: main,
      activityInstanceId: main,
      caseDefinitionKey: null,
      caseDefinitionId: null,
      caseInstanceId: null,
      caseExecutionId: null,
      taskId: null,
      tenantId: null,
      errorMessage: null,
      state: 'CREATED',
      createTime: camundaDate,
      removalTime: null,
      rootProcessInstanceId: main,
    });
    const created = (name: string) => variables.find((v: { name: string }) => v.name === name).createTime as string;
    // Set at the start, then by the office's form, then by the state system: in that order.
    expect(created('applicantName') <= created('approved')).toBe(true);
    expect(created('approved') <= created('registrationNumber')).toBe(true);
    expect((await ok('olga-office', 'GET', `/history/variable-instance?processInstanceId=${main}&variableName=approved`)).map((v: { value: unknown }) => v.value)).toEqual([true]);
    expect((await ok('olga-office', 'GET', `/history/variable-instance?processInstanceIdIn=${waiting[0]},${waiting[1]}&variableNameLike=appl%25&sortBy=variableName&sortOrder=asc`)).map((v: { value: unknown }) => v.value).sort()).toEqual(['Bolat', 'Daulet']);
    expect(await ok('olga-office', 'GET', `/history/variable-instance/count?processInstanceId=${main}`)).toEqual({ count: 5 });
    expect(await ok('bota-other-bodies', 'GET', `/history/variable-instance?processInstanceId=${main}`)).toEqual([]);
  });

  it('lists a called instance’s variables, those it had from its caller created at its start, though its history keeps no copy of them', async () => {
    const variables = await ok('olga-office', 'GET', `/history/variable-instance?processInstanceId=${review}`);
    expect(variables.map((v: { name: string }) => v.name)).toEqual(['amount', 'applicantName', 'approved', 'checked']);
    const [started] = await ok('olga-office', 'GET', `/history/process-instance?processInstanceId=${review}`);
    const created = (name: string) => variables.find((v: { name: string }) => v.name === name).createTime as string;
    for (const name of ['amount', 'applicantName', 'approved']) expect({ name, created: created(name) }).toEqual({ name, created: started.startTime });
    expect(created('checked') > started.startTime).toBe(true);
    // Issue 19 point 5: the called flow's start records what it received of its own (no camunda:in
    // here) and the names it had from its caller, not a second copy of the caller's values.
    const history = (await t.call('admin', 'GET', `/process-instances/${review}/history`)).body;
    const start = history.find((h: { type: string }) => h.type === 'instance-started');
    expect(start.data.variables).toEqual({});
    expect(start.data.inherited.sort()).toEqual(['amount', 'applicantName', 'approved']);
    expect(JSON.stringify(start)).not.toContain('Aigerim');
  });

  it('lists the user operations on the instance’s tasks, newest first, by instance or by a task’s execution', async () => {
    const operations = await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${main}&sortBy=timestamp&sortOrder=desc`);
    expect(operations).toEqual([
      {
        id: expect.any(String),
        userId: 'olga-office',
        timestamp: camundaDate,
        operationId: expect.any(String),
        operationType: 'Complete',
        entityType: 'Task',
        category: 'TaskWorker',
        annotation: null,
        property: 'delete',
        orgValue: 'false',
        newValue: 'true',
        deploymentId: null,
        processDefinitionId: 'er-application:1',
        processDefinitionKey: 'er-application',
        processInstanceId: main,
        executionId: treeAtCheck.childActivityInstances[0].executionIds[0],
        caseDefinitionId: null,
        caseInstanceId: null,
        caseExecutionId: null,
        taskId: checkTaskId,
        externalTaskId: null,
        batchId: null,
        jobId: null,
        jobDefinitionId: null,
        removalTime: null,
        rootProcessInstanceId: main,
      },
      expect.objectContaining({ operationType: 'Claim', property: 'assignee', orgValue: null, newValue: 'olga-office', taskId: checkTaskId, userId: 'olga-office' }),
    ]);
    // webapps-neo's task history tab: processInstanceId=<the task's executionId>.
    expect(await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${treeAtCheck.childActivityInstances[0].executionIds[0]}&sortBy=timestamp&sortOrder=desc`)).toEqual(operations);
    const byExecution = await ok('olga-office', 'GET', `/history/user-operation?executionId=${treeAtCheck.childActivityInstances[0].executionIds[0]}&sortBy=timestamp&sortOrder=asc`);
    expect(byExecution.map((o: { operationType: string }) => o.operationType)).toEqual(['Claim', 'Complete']);
    expect((await ok('sanzhar-specialist', 'GET', `/history/user-operation?processInstanceId=${review}&operationType=Complete`)).map((o: { taskId: string }) => o.taskId)).toEqual([reviewTaskId]);
    expect(await ok('olga-office', 'GET', `/history/user-operation/count?processInstanceId=${main}`)).toEqual({ count: 2 });
    expect(await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${main}&sortBy=timestamp&sortOrder=desc&firstResult=1&maxResults=1`)).toEqual([operations[1]]);
    expect(await ok('bota-other-bodies', 'GET', `/history/user-operation?processInstanceId=${main}`)).toEqual([]);
  });

  it('counts a delegation as three entries and a resolve as two, paged by entries', async () => {
    const id = waiting[2];
    const task = (await ok('admin', 'GET', `/task?processInstanceId=${id}`))[0].id as string;
    await ok('olga-office', 'POST', `/task/${task}/claim`, { userId: 'olga-office' });
    expect((await camunda('olga-office', 'POST', `/task/${task}/delegate`, { userId: 'office-user-2' })).status).toBe(204);
    expect((await camunda('office-user-2', 'POST', `/task/${task}/resolve`, {})).status).toBe(204);
    const all = await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${id}&sortBy=timestamp&sortOrder=asc`);
    expect(all.map((o: { operationType: string; property: string; newValue: string | null }) => `${o.operationType}:${o.property}=${o.newValue}`)).toEqual([
      'Claim:assignee=olga-office',
      'Delegate:delegation=PENDING',
      'Delegate:owner=olga-office',
      'Delegate:assignee=office-user-2',
      'Resolve:delegation=RESOLVED',
      'Resolve:assignee=olga-office',
    ]);
    expect(new Set(all.slice(1, 4).map((o: { operationId: string }) => o.operationId)).size).toBe(1);
    expect(await ok('olga-office', 'GET', `/history/user-operation/count?processInstanceId=${id}`)).toEqual({ count: 6 });
    expect(await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${id}&sortBy=timestamp&sortOrder=asc&firstResult=2&maxResults=3`)).toEqual(all.slice(2, 5));
    expect((await ok('olga-office', 'GET', `/history/user-operation?processInstanceId=${id}&operationType=Delegate`)).length).toBe(3);
  });

  it('answers a message correlation with Camunda’s 400 naming the message: no diagram waits for one', async () => {
    const answer = await camunda('admin', 'POST', '/message', { messageName: 'PaymentReceived', businessKey: 'ER-W1', processVariables: { paid: { value: true, type: 'Boolean' } } });
    expect(answer).toEqual({ status: 400, body: { type: 'RestException', message: expect.stringMatching(/^Cannot correlate message 'PaymentReceived': No process definition or execution matches the parameters/) } });
    // Nothing moved.
    expect(await ok('admin', 'GET', `/process-instance/${waiting[0]}/variables`)).not.toHaveProperty('paid');
  });
});

describe('activity instances around a boundary event on /engine-rest', () => {
  let t: TestHost;
  let down = true;

  beforeAll(async () => {
    const handlers = createDefaultHandlers().register('test.check-payment', 'Payment check (down until told otherwise)', async ({ variables }) => {
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:9');
      if (variables.paid !== true) throw new BusinessError('NOT_PAID', 'No payment was found for the request');
      return { paymentChecked: true };
    }, ['paymentChecked']);
    t = await startTestHost({ processesDir: path.resolve(__dirname, '../fixtures/processes/business-error'), handlers });
  });
  afterAll(() => t.close());

  const get = async (route: string): Promise<any> => {
    const response = await fetch(`${t.url}/engine-rest${route}`, { headers: { authorization: `Basic ${Buffer.from(`admin:${tokenOf('admin')}`).toString('base64')}` } });
    expect({ route, status: response.status }).toEqual({ route, status: 200 });
    return response.json();
  };

  it('shows the waiting service task, not the error boundary event listening on it; the event once it fired', async () => {
    const started = await t.call('olga-office', 'POST', '/process-definitions/test-payment/start', { variables: { paid: false } });
    const id = started.body.id as string;
    const tree = await get(`/process-instance/${id}/activity-instances`);
    expect(tree.childActivityInstances.map((a: { activityId: string; activityType: string }) => `${a.activityId}/${a.activityType}`)).toEqual(['check-payment/serviceTask']);
    expect(tree.childActivityInstances[0].incidentIds).toHaveLength(1);

    down = false;
    expect((await t.call('admin', 'POST', `/process-instances/${id}/retry`)).body).toMatchObject({ resolved: true });
    const after = await get(`/process-instance/${id}/activity-instances`);
    expect(after.childActivityInstances.map((a: { activityId: string; activityType: string }) => `${a.activityId}/${a.activityType}`)).toEqual(['handle-unpaid/userTask']);
    const history = await get(`/history/activity-instance?processInstanceId=${id}&finished=true`);
    expect(history.map((a: { activityId: string; activityType: string }) => `${a.activityId}/${a.activityType}`)).toEqual(expect.arrayContaining(['start/startEvent', 'not-paid/boundaryError']));
  });
});
