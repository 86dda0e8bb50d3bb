import { assignRefusal, delegateRefusal, mayDistributeTasks, mayListMembers, resolveRefusal, TaskHolders } from '../../../src/identity/access';

/* Who may set a task's assignee, delegate it and resolve it (issue 17, point 2): every rule of access.ts, without a server. */
const admin = { id: 'admin', name: 'Admin', groups: ['admin'] };
const olga = { id: 'olga', name: 'Olga', groups: ['office'] };
const asel = { id: 'asel', name: 'Asel', groups: ['office'] };
const hasan = { id: 'hasan', name: 'Hasan', groups: ['head'] };
const sanzhar = { id: 'sanzhar', name: 'Sanzhar', groups: ['specialist'] };
const GROUPS = ['office'];

const task = (assignee: string | null, owner: string | null = null, delegationState: string | null = null): TaskHolders => ({ id: 't1', assignee, owner, delegationState });
const kindOf = (refusal: { kind: string } | null) => refusal?.kind ?? 'allowed';

describe('identity/access: assignment', () => {
  it.each([
    ['an admin, any reglament', admin, ['office'], true],
    ['a head of a reglament naming group head', hasan, ['office', 'head'], true],
    ['a head of a reglament without a head step', hasan, ['office'], false],
    ['a clerk', olga, ['office', 'head'], false],
  ])('distributes the work: %s', (_name, user, reglamentGroups, expected) => {
    expect(mayDistributeTasks(user, reglamentGroups)).toBe(expected);
  });

  it.each([
    // name, actor, task, distributor, target, outcome
    ['a clerk takes an unclaimed task', olga, task(null), false, olga, 'allowed'],
    ['a clerk hands out an unclaimed task', olga, task(null), false, asel, 'forbidden'],
    ['a clerk hands their task to a colleague', olga, task('olga'), false, asel, 'allowed'],
    ['a clerk gives their task back', olga, task('olga'), false, null, 'allowed'],
    ["a clerk takes a colleague's task", olga, task('asel'), false, olga, 'conflict'],
    ['a delegate passes the task on', asel, task('asel', 'olga', 'PENDING'), false, olga, 'conflict'],
    ['the owner takes a delegated task back', olga, task('asel', 'olga', 'PENDING'), false, olga, 'allowed'],
    ['the head takes a task back from anyone', hasan, task('asel'), true, olga, 'allowed'],
    ['the head takes a task back into the group', hasan, task('asel'), true, null, 'allowed'],
    ['a user of another group', sanzhar, task(null), false, olga, 'forbidden'],
    ['to a user outside the groups, even by an admin', admin, task('olga'), true, sanzhar, 'invalid'],
  ])('assign: %s', (_name, actor, holders, distributor, target, outcome) => {
    expect(kindOf(assignRefusal(actor, holders, GROUPS, distributor, target))).toBe(outcome);
  });

  it('names the user a task cannot go to', () => {
    expect(assignRefusal(admin, task('olga'), GROUPS, true, sanzhar)).toMatchObject({ code: 'NOT_A_CANDIDATE', message: expect.stringContaining('sanzhar (Sanzhar)'), details: { field: 'userId', userId: 'sanzhar' } });
  });

  it.each([
    ['the holder', olga, task('olga'), false, asel, 'allowed'],
    ['the head, a clerk\'s task', hasan, task('olga'), true, asel, 'allowed'],
    ["a colleague's task, to themselves", asel, task('olga'), false, asel, 'conflict'],
    ['to the one who holds it already', olga, task('olga'), false, olga, 'invalid'],
    ['someone else\'s task to a third', olga, task('asel'), false, { ...asel, id: 'third' }, 'conflict'],
    ['an unclaimed task', olga, task(null), false, asel, 'conflict'],
    ['to a user outside the groups', olga, task('olga'), false, sanzhar, 'invalid'],
    ['by a user of another group', sanzhar, task('olga'), false, asel, 'forbidden'],
  ])('delegate: %s', (_name, actor, holders, distributor, target, outcome) => {
    expect(kindOf(delegateRefusal(actor, holders, GROUPS, distributor, target))).toBe(outcome);
  });

  it.each([
    ['the delegate', asel, task('asel', 'olga', 'PENDING'), 'allowed'],
    ['an admin', admin, task('asel', 'olga', 'PENDING'), 'allowed'],
    ['the owner', olga, task('asel', 'olga', 'PENDING'), 'conflict'],
    ['a task not delegated', olga, task('olga'), 'conflict'],
    ['a task already resolved', olga, task('olga', 'olga', 'RESOLVED'), 'conflict'],
  ])('resolve: %s', (_name, actor, holders, outcome) => {
    expect(kindOf(resolveRefusal(actor, holders))).toBe(outcome);
  });

  it.each([
    ['olga', olga, 'office', true],
    ['olga', olga, 'specialist', false],
    ['hasan (head)', hasan, 'specialist', true],
    ['admin', admin, 'office', true],
  ])('lists members: %s of group %s', (_name, user, group, expected) => {
    expect(mayListMembers(user, group)).toBe(expected);
  });
});
