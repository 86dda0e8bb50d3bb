import {
  assertAdmin,
  assertMayActOnTask,
  assertMayReadReports,
  assertMayUnclaim,
  assertMayWorkExternalTasks,
  isAdmin,
  mayDeployThroughModeler,
  caseScope,
  mayReadNotification,
  maySeeCase,
  notificationAudience,
  startRefusal,
  visibleGroups,
} from '../../../src/identity/access';

const admin = { id: 'admin', name: 'admin', groups: ['admin'] };
const office = { id: 'olga', name: 'Olga', groups: ['office'] };
const head = { id: 'hasan', name: 'Hasan', groups: ['head'] };
const deployer = { id: 'dora', name: 'Dora', groups: ['deployer'] };
const nobody = { id: 'nemo', name: 'Nemo', groups: [] };

describe('identity/access: who may do what, without a server', () => {
  it('knows admins, and gives them every list', () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(office)).toBe(false);
    expect(visibleGroups(admin)).toBeUndefined();
    expect(visibleGroups(office)).toEqual(['office']);
  });

  it('reserves operations to groups, naming them in the refusal', () => {
    expect(() => assertAdmin(admin)).not.toThrow();
    expect(() => assertAdmin(office)).toThrow('This operation needs group admin; user olga is in office');
    expect(() => assertMayReadReports(head)).not.toThrow();
    expect(() => assertMayReadReports(nobody)).toThrow('This operation needs group admin or head; user nemo is in no group');
    expect(mayDeployThroughModeler(deployer)).toBe(true);
    expect(mayDeployThroughModeler(office)).toBe(false);
    expect(() => assertMayWorkExternalTasks({ id: 'w1', name: 'Worker', groups: ['worker'] })).not.toThrow();
    expect(() => assertMayWorkExternalTasks(admin)).not.toThrow();
    expect(() => assertMayWorkExternalTasks(office)).toThrow('This operation needs group admin or worker; user olga is in office');
  });

  it('lets a user act on a task of their groups, an admin on all', () => {
    expect(() => assertMayActOnTask(office, { id: 't1' }, ['office', 'head'])).not.toThrow();
    expect(() => assertMayActOnTask(admin, { id: 't1' }, ['head'])).not.toThrow();
    expect(() => assertMayActOnTask(office, { id: 't1' }, ['head'])).toThrow(expect.objectContaining({ kind: 'forbidden', message: 'Task t1 belongs to group(s) head; user olga is in office' }));
    expect(() => assertMayUnclaim(office, { id: 't1', assignee: 'someone' })).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(() => assertMayUnclaim(admin, { id: 't1', assignee: 'someone' })).not.toThrow();
  });

  const reglaments = [
    { key: 'cotton', groups: ['office', 'head'] },
    { key: 'weapons', groups: ['specialist', 'department-head'] },
  ];
  it.each([
    ['an admin sees every case', admin, { all: true }],
    ["a head sees the cases of the reglaments that name the head's group, and those of the group's tasks", head, { all: false, userId: 'hasan', groups: ['head'], processKeys: ['cotton'] }],
    ["a clerk sees the cases of their own starts and of their groups' tasks, no reglament whole", office, { all: false, userId: 'olga', groups: ['office'], processKeys: [] }],
    ['a user of no group sees only what they started', nobody, { all: false, userId: 'nemo', groups: [], processKeys: [] }],
  ])('case list: %s', (_name, user, scope) => {
    expect(caseScope(user, reglaments)).toEqual(scope);
  });

  it('shows a case to its starter, the heads of its reglament and the groups of its tasks, asking the database only when needed', async () => {
    const asked = jest.fn(async () => true);
    const scopeOf = (user: typeof office) => caseScope(user, reglaments);
    expect(await maySeeCase(scopeOf(office), { startedBy: 'olga', processDefinitionKey: 'cotton' }, asked)).toBe(true);
    expect(await maySeeCase(scopeOf(nobody), { startedBy: 'olga', processDefinitionKey: 'cotton' }, asked)).toBe(false);
    // A called flow belongs to its application's reglament.
    expect(await maySeeCase(scopeOf(head), { startedBy: 'x', processDefinitionKey: 'egov-portal-intake', rootProcessDefinitionKey: 'cotton' }, asked)).toBe(true);
    expect(asked).not.toHaveBeenCalled();
    expect(await maySeeCase(scopeOf(office), { startedBy: 'x', processDefinitionKey: 'cotton' }, asked)).toBe(true);
    expect(await maySeeCase(scopeOf(head), { startedBy: 'x', processDefinitionKey: 'weapons' }, asked)).toBe(true);
    expect(asked).toHaveBeenCalledTimes(2);
  });

  it('gives each user the notifications to them or their groups', () => {
    expect(notificationAudience(admin)).toBeUndefined();
    expect(notificationAudience(office)).toEqual({ userId: 'olga', groups: ['office'] });
    expect(mayReadNotification(office, { userId: null, groupId: 'office' })).toBe(true);
    expect(mayReadNotification(office, { userId: 'olga', groupId: null })).toBe(true);
    expect(mayReadNotification(office, { userId: null, groupId: 'head' })).toBe(false);
  });

  it('starts what the diagram lets the user start', () => {
    const model = { key: 'p', startableInTasklist: true, candidateStarterGroups: ['office'], candidateStarterUsers: ['dora'] };
    expect(startRefusal(model, office)).toBeNull();
    expect(startRefusal(model, deployer)).toBeNull();
    expect(startRefusal(model, admin)).toBeNull();
    expect(startRefusal(model, head)?.code).toBe('NOT_A_STARTER');
    expect(startRefusal({ ...model, startableInTasklist: false }, admin)?.code).toBe('NOT_STARTABLE');
  });
});
