import { attachRefusal } from '../../../src/identity/access';
import type { User } from '../../../src/identity/users';

const user = (id: string, groups: string[]) => ({ id, name: id, groups }) as unknown as User;
const office = user('olga', ['office']);
const colleague = user('aida', ['office']);
const specialist = user('sanzhar', ['specialist']);
const admin = user('root', ['admin']);

describe('who may attach a document to a task (identity/access attachRefusal)', () => {
  it.each([
    ['its holder, open', office, { assignee: 'olga', state: 'open' }, null],
    ['a user of its group while nobody holds it', colleague, { assignee: null, state: 'open' }, null],
    ['a colleague while someone holds it', colleague, { assignee: 'olga', state: 'open' }, 'conflict'],
    ['a user of another group', specialist, { assignee: null, state: 'open' }, 'forbidden'],
    ['its holder once it is completed', office, { assignee: 'olga', state: 'completed' }, 'conflict'],
    ['an admin while nobody holds it', admin, { assignee: null, state: 'open' }, null],
    ['an admin while someone holds it', admin, { assignee: 'olga', state: 'open' }, 'conflict'],
  ])('%s', (_case, who, task, kind) => {
    expect(attachRefusal(who, { id: 't1', ...task }, ['office'])?.kind ?? null).toBe(kind);
  });
});
