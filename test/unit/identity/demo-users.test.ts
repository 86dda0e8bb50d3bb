import fs from 'node:fs';
import path from 'node:path';
import { COTTON_LICENCE_ROUTE, demoOrder, routeLine, RouteStep, writeDemoUsers } from '../../../src/identity/demo-users';
import { sha256Hex, UserDirectory } from '../../../src/identity/users';
import { groupsOfDiagrams, tempDir } from '../../support/test-host';
import { isValidIin } from '../../../src/iin-bin';

/*
 * The default run's demo users (issue 16, Build 6): named for their role, listed in the order a cotton
 * warehouse licence passes through them, the route printed as who comes next.
 */
const PROCESSES = path.resolve(__dirname, '../../../processes');

/** The route's steps as the cotton diagram states them (task name and candidate group, read from its XML). */
function cottonRoute(): RouteStep[] {
  const xml = fs.readFileSync(path.join(PROCESSES, 'cotton-warehouse-license.bpmn'), 'utf8');
  return COTTON_LICENCE_ROUTE.map((taskId) => {
    const tag = new RegExp(`<bpmn:userTask id="${taskId}"[^>]*>`).exec(xml);
    if (!tag) throw new Error(`no user task ${taskId} in the cotton diagram`);
    return { taskId, taskName: /name="([^"]*)"/.exec(tag[0])![1], group: /camunda:candidateGroups="([^"]*)"/.exec(tag[0])![1] };
  });
}

describe('demo users', () => {
  it("follow the cotton licence's route through the office: office, head, department head, specialist, other bodies, head, specialist, office", () => {
    expect(cottonRoute().map((s) => s.group)).toEqual(['office', 'head', 'department-head', 'specialist', 'specialist', 'other-bodies', 'head', 'specialist', 'office']);
  });

  it('are listed in the order of the route, then the other groups, then the admin', () => {
    const groups = groupsOfDiagrams(PROCESSES);
    const order = demoOrder(groups, cottonRoute());
    expect(order.slice(0, 5)).toEqual(['office', 'head', 'department-head', 'specialist', 'other-bodies']);
    expect(order[order.length - 1]).toBe('admin');
    expect([...order].sort()).toEqual([...new Set([...groups, 'admin'])].sort());
  });

  it.each([
    ['office', 'office-clerk', 'Кеңсе қызметкері (office)'],
    ['head', 'head', 'Басшы (head)'],
    ['department-head', 'department-head', 'Бөлім басшысы (department-head)'],
    ['specialist', 'specialist', 'Маман (specialist)'],
    ['admin', 'admin', 'Әкімші (admin)'],
    ['a-group-of-a-new-diagram', 'a-group-of-a-new-diagram', 'a-group-of-a-new-diagram'],
  ])('group %s: user %s named "%s"; the file keeps only the hash of the token printed', (group, id, name) => {
    const file = path.join(tempDir('demo-users-'), 'users.json');
    const users = writeDemoUsers(file, [group], cottonRoute());
    const user = users.find((u) => u.groups[0] === group)!;
    expect(user).toMatchObject({ id, name });
    const records = JSON.parse(fs.readFileSync(file, 'utf8'));
    // The IIN lets the demo user sign at a signing step (a valid IIN, the same every run).
    expect(isValidIin(user.iin)).toBe(true);
    expect(records.find((r: any) => r.id === id)).toEqual({ id, name, groups: [group], iin: user.iin, tokenSha256: sha256Hex(user.token) });
    expect(fs.readFileSync(file, 'utf8')).not.toContain(user.token);
    expect(UserDirectory.fromFile(file).authenticate(user.token)).toEqual({ id, name, groups: [group], iin: user.iin });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('the route line names each step’s demo user in order, so the next role is the one after the arrow', () => {
    const line = routeLine(cottonRoute());
    expect(line.split(' → ').map((s) => s.split(' (')[0])).toEqual(['office-clerk', 'head', 'department-head', 'specialist', 'specialist', 'other-bodies', 'head', 'specialist', 'office-clerk']);
    expect(line).toContain('office-clerk (Өтінішті тіркеу) → head (Өтінішті қабылдау)');
  });
});
