import {
  assertAdmin,
  assertMayActOnTask,
  assertMayReadReports,
  assertMayUnclaim,
  isAdmin,
  mayDeployThroughModeler,
  mayReadNotification,
  maySeeInstance,
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
  });

  it('lets a user act on a task of their groups, an admin on all', () => {
    expect(() => assertMayActOnTask(office, { id: 't1' }, ['office', 'head'])).not.toThrow();
    expect(() => assertMayActOnTask(admin, { id: 't1' }, ['head'])).not.toThrow();
    expect(() => assertMayActOnTask(office, { id: 't1' }, ['head'])).toThrow(expect.objectContaining({ kind: 'forbidden', message: 'Task t1 belongs to group(s) head; user olga is in office' }));
    expect(() => assertMayUnclaim(office, { id: 't1', assignee: 'someone' })).toThrow(expect.objectContaining({ kind: 'conflict' }));
    expect(() => assertMayUnclaim(admin, { id: 't1', assignee: 'someone' })).not.toThrow();
  });

  it('shows an instance to its starter and the groups of its tasks, asking the database only when needed', async () => {
    const asked = jest.fn(async () => true);
    expect(await maySeeInstance(office, { startedBy: 'olga' }, asked)).toBe(true);
    expect(await maySeeInstance(nobody, { startedBy: 'olga' }, asked)).toBe(false);
    expect(asked).not.toHaveBeenCalled();
    expect(await maySeeInstance(office, { startedBy: 'x' }, asked)).toBe(true);
    expect(asked).toHaveBeenCalledTimes(1);
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
