/**
 * Issue 17, point 1: what each step produces is a form field of its diagram. Through the HTTP API on
 * cotton-warehouse-license: the head's resolution (text, required) and the unit; the department
 * head's choice of the responsible specialist (a users-of-group field: the server offers the group's
 * users, refuses anyone else, and assigns the specialist's next steps to the one chosen); the other
 * bodies' motivated conclusion (required when negative). And a diagram whose users-of-group field or
 * assignee is wrong is refused at deployment, naming the element and the field.
 */
import { makeBin } from '../../src/iin-bin';
import { smallDiagram } from '../support/small-diagram';
import { startTestHost, TestHost } from '../support/test-host';

const KEY = 'cotton-warehouse-license';
const FORM = { channel: 'office', variant: 'issue', resultForm: 'electronic', applicantKind: 'legal-entity', applicantName: 'ТОО «Мақта Терминал»', applicantIinBin: '140840012345' };

describe('the work a step produces, as form fields', () => {
  let t: TestHost;

  beforeAll(async () => {
    t = await startTestHost();
  });

  afterAll(async () => {
    await t.close();
  });

  /** The one open task of the case, as `user` lists it. */
  async function openTask(user: string, businessKey: string) {
    const listed = await t.call(user, 'GET', `/tasks?businessKey=${encodeURIComponent(businessKey)}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    return listed.body.items[0];
  }

  async function start(businessKey: string): Promise<string> {
    const started = await t.call(t.userOf('office'), 'POST', `/process-definitions/${KEY}/start`, { businessKey, variables: { ...FORM, applicantIinBin: validBin() } });
    expect({ status: started.status, error: started.body?.error }).toEqual({ status: 201, error: undefined });
    return started.body.id;
  }

  async function complete(user: string, taskId: string, variables: Record<string, unknown>) {
    return t.call(user, 'POST', `/tasks/${taskId}/complete`, { variables });
  }

  /** What a refused completion must leave as it was. */
  async function snapshot(instanceId: string, taskId: string) {
    const [instance, history, task] = await Promise.all([
      t.call('admin', 'GET', `/process-instances/${instanceId}`),
      t.call('admin', 'GET', `/process-instances/${instanceId}/history`),
      t.call('admin', 'GET', `/tasks/${taskId}`),
    ]);
    return { variables: instance.body.variables, history: history.body, state: task.body.state, assignee: task.body.assignee };
  }

  async function throughRegistration(businessKey: string): Promise<string> {
    const id = await start(businessKey);
    const register = await openTask(t.userOf('office'), businessKey);
    expect((await complete(t.userOf('office'), register.id, {})).status).toBe(200);
    return id;
  }

  it("a head's resolution without its text is a field error naming the field, and nothing changes", async () => {
    const businessKey = 'forms-resolution';
    const id = await throughRegistration(businessKey);
    const head = t.userOf('head');
    const task = await openTask(head, businessKey);
    const detail = (await t.call(head, 'GET', `/tasks/${task.id}`)).body;
    expect(detail.formFields).toEqual([
      expect.objectContaining({ id: 'headResolution', type: 'string', required: true, multiline: true }),
      expect.objectContaining({ id: 'resolutionUnit', type: 'enum', required: true, values: [expect.objectContaining({ id: 'department' })] }),
    ]);
    const before = await snapshot(id, task.id);

    const refused = await complete(head, task.id, { resolutionUnit: 'department' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields).toEqual([{ field: 'headResolution', message: '"Бұрыштама" is required' }]);
    const blank = await complete(head, task.id, { headResolution: '', resolutionUnit: 'department' });
    expect(blank.body.error.details.fields).toEqual([expect.objectContaining({ field: 'headResolution' })]);
    expect(await snapshot(id, task.id)).toEqual(before);

    const text = 'Бөлімге.\nМерзімінде қарауға.';
    expect((await complete(head, task.id, { headResolution: text, resolutionUnit: 'department' })).status).toBe(200);
    const after = (await t.call('admin', 'GET', `/process-instances/${id}`)).body.variables;
    expect(after).toMatchObject({ headResolution: text, resolutionUnit: 'department' });
  });

  it('the department head chooses the specialist among the users of the group; anyone else is refused and nothing changes', async () => {
    const businessKey = 'forms-specialist';
    const id = await throughRegistration(businessKey);
    const head = t.userOf('head');
    expect((await complete(head, (await openTask(head, businessKey)).id, { headResolution: 'Бөлімге', resolutionUnit: 'department' })).status).toBe(200);

    const departmentHead = t.userOf('department-head');
    const task = await openTask(departmentHead, businessKey);
    const detail = (await t.call(departmentHead, 'GET', `/tasks/${task.id}`)).body;
    const chooser = detail.formFields.find((f: { id: string }) => f.id === 'responsibleSpecialist');
    // The server fills the choice with the group's users as they are now (display names beside the ids).
    expect(chooser).toMatchObject({ type: 'string', required: true, choices: { usersOfGroup: 'specialist' } });
    expect(chooser.values.map((v: { id: string }) => v.id).sort()).toEqual(['sanzhar-specialist', 'second-specialist', 'specialist-user', 'specialist-user-2']);
    expect(detail.formSchema.properties.responsibleSpecialist.enum.sort()).toEqual(['sanzhar-specialist', 'second-specialist', 'specialist-user', 'specialist-user-2']);

    const before = await snapshot(id, task.id);
    for (const stranger of ['olga-office', 'no-such-user']) {
      const refused = await complete(departmentHead, task.id, { departmentHeadResolution: 'Орындауға', responsibleSpecialist: stranger });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.fields).toEqual([{ field: 'responsibleSpecialist', message: expect.stringContaining(`must be a user of group "specialist"`) }]);
    }
    expect(await snapshot(id, task.id)).toEqual(before);

    expect((await complete(departmentHead, task.id, { departmentHeadResolution: 'Орындауға', responsibleSpecialist: 'second-specialist' })).status).toBe(200);

    // Camunda semantics: the next specialist task is the chosen one's, its candidate group stays.
    const check = await openTask('second-specialist', businessKey);
    expect(check).toMatchObject({ taskDefinitionKey: 'initial-check', assignee: 'second-specialist', candidateGroups: ['specialist'] });
    const mine = await t.call('second-specialist', 'GET', `/tasks?assignee=second-specialist&businessKey=${businessKey}`);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([check.id]);
    const others = await t.call('sanzhar-specialist', 'GET', `/tasks?assignee=sanzhar-specialist&businessKey=${businessKey}`);
    expect(others.body.items).toEqual([]);
    const unassigned = await t.call('sanzhar-specialist', 'GET', `/tasks?unassigned=true&businessKey=${businessKey}`);
    expect(unassigned.body.items).toEqual([]);
    // Another specialist of the group cannot take it over by completing or claiming it.
    expect((await complete('sanzhar-specialist', check.id, { documentsComplete: true })).status).toBe(409);
    expect((await t.call('sanzhar-specialist', 'POST', `/tasks/${check.id}/claim`)).status).toBe(409);
    const history = (await t.call('admin', 'GET', `/process-instances/${id}/history`)).body as { type: string; activityId: string; data: Record<string, unknown>; userNames?: Record<string, string> }[];
    expect(history.find((h) => h.type === 'task-created' && h.activityId === 'initial-check')?.data).toMatchObject({ assignee: 'second-specialist', candidateGroups: ['specialist'] });
    // The step that chose names the chosen user for those who read the case.
    expect(history.find((h) => h.type === 'task-completed' && h.activityId === 'assign-specialist')).toMatchObject({ userNames: { 'second-specialist': 'second-specialist' } });

    // The specialist's later steps go to the same user.
    expect((await complete('second-specialist', check.id, { documentsComplete: true })).status).toBe(200);
    expect(await openTask('second-specialist', businessKey)).toMatchObject({ taskDefinitionKey: 'qualification-check', assignee: 'second-specialist' });
  });

  it('a negative conclusion of the other bodies needs its motivated text; a positive one does not', async () => {
    const conclude = async (businessKey: string) => {
      await throughRegistration(businessKey);
      const steps: [string, Record<string, unknown>][] = [
        [t.userOf('head'), { headResolution: 'Бөлімге', resolutionUnit: 'department' }],
        [t.userOf('department-head'), { departmentHeadResolution: 'Орындауға', responsibleSpecialist: 'specialist-user' }],
        ['specialist-user', { documentsComplete: true }],
        ['specialist-user', { qualificationMet: true }],
      ];
      for (const [user, variables] of steps) expect((await complete(user, (await openTask(user, businessKey)).id, variables)).status).toBe(200);
      return openTask(t.userOf('other-bodies'), businessKey);
    };
    const body = t.userOf('other-bodies');
    const negative = await conclude('forms-conclusion-negative');
    const detail = (await t.call(body, 'GET', `/tasks/${negative.id}`)).body;
    expect(detail.formFields.find((f: { id: string }) => f.id === 'conclusionText')).toMatchObject({ type: 'string', required: false, multiline: true, requiredIf: { field: 'conclusionPositive', value: 'false' } });
    const refused = await complete(body, negative.id, { conclusionPositive: false });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields).toEqual([{ field: 'conclusionText', message: expect.stringMatching(/is required$/) }]);
    expect((await complete(body, negative.id, { conclusionPositive: false, conclusionText: 'Қойма өртке қарсы талаптарға сай емес.\nҚорытынды теріс.' })).status).toBe(200);

    const positive = await conclude('forms-conclusion-positive');
    expect((await complete(body, positive.id, { conclusionPositive: true })).status).toBe(200);
  });

  const LIMIT = '<camunda:properties><camunda:property name="timeLimit" value="1 working day" /></camunda:properties>';

  describe('a wrong users-of-group field or assignee is refused at deployment, naming the element and the field', () => {
    const diagram = (key: string, choices: string, assignee: string) =>
      smallDiagram(
        key,
        [
          { id: 'start', type: 'bpmn:startEvent' },
          {
            id: 'choose',
            type: 'bpmn:userTask',
            attrs: 'camunda:candidateGroups="department-head"',
            inner: `<bpmn:extensionElements>${LIMIT}<camunda:formData><camunda:formField id="executor" label="Executor" type="string"><camunda:properties><camunda:property id="choices" value="${choices}" /></camunda:properties></camunda:formField></camunda:formData></bpmn:extensionElements>`,
          },
          { id: 'work', type: 'bpmn:userTask', attrs: `camunda:candidateGroups="specialist" camunda:assignee="${assignee}"`, inner: `<bpmn:extensionElements>${LIMIT}</bpmn:extensionElements>` },
          { id: 'end', type: 'bpmn:endEvent' },
        ],
        [
          { id: 'f1', from: 'start', to: 'choose' },
          { id: 'f2', from: 'choose', to: 'work' },
          { id: 'f3', from: 'work', to: 'end' },
        ],
      );

    it.each([
      ['a group no lane or task of the process has', 'users-of-group:specialst', '${executor}', 'choose', 'Form field "executor" property choices names group "specialst", which no lane or user task of this process has'],
      ['a choice that is not users-of-group', 'everyone', '${executor}', 'choose', 'Form field "executor" property choices must be users-of-group:<group>, got "everyone"'],
      ['an assignee variable no users-of-group field sets', 'users-of-group:specialist', '${executer}', 'work', 'camunda:assignee "${executer}" names variable "executer", which no users-of-group form field'],
    ])('%s', async (_what, choices, assignee, elementId, message) => {
      const key = `bad-choice-${elementId}-${choices.length}-${assignee.length}`;
      const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: `${key}.bpmn`, source: diagram(key, choices, assignee) }] });
      expect(res.status).toBe(422);
      expect(res.body.error.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ elementId, rule: 'reglament/form-fields', severity: 'error', message: expect.stringContaining(message) })]));
      expect((await t.call('admin', 'GET', `/process-definitions/${key}`)).status).toBe(404);
    });

    it('accepts the same diagram with a group of its own and the variable its field sets', async () => {
      const res = await t.call('admin', 'POST', '/deployments', { resources: [{ name: 'good-choice.bpmn', source: diagram('good-choice', 'users-of-group:specialist', '${executor}') }] });
      expect({ status: res.status, problems: res.body?.error?.details?.problems }).toEqual({ status: 201, problems: undefined });
    });
  });
});

/** A BIN with a valid date part and control digit. */
function validBin(): string {
  return makeBin(new Date(Date.UTC(2014, 7, 1)), 1234);
}
