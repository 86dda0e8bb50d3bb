import fs from 'node:fs';
import path from 'node:path';
import { makeIin } from '../../../src/iin-bin';
import { sha256Hex, UserDirectory } from '../../../src/identity/users';
import { tempDir } from '../../support/test-host';

/* A user's IIN in the users file: what a document they sign must carry; a wrong one is refused at load. */
describe('the users file: iin', () => {
  function directory(records: unknown[]): UserDirectory {
    const file = path.join(tempDir(), 'users.json');
    fs.writeFileSync(file, JSON.stringify(records));
    return UserDirectory.fromFile(file);
  }

  it('is kept and given with the user; a user without one has none', () => {
    const iin = makeIin(new Date(Date.UTC(1975, 4, 17)), 'female', 42);
    const users = directory([
      { id: 'head', name: 'Head', groups: ['head'], iin, tokenSha256: sha256Hex('head-token') },
      { id: 'clerk', name: 'Clerk', groups: ['office'], tokenSha256: sha256Hex('clerk-token') },
    ]);
    expect(users.authenticate('head-token')).toEqual({ id: 'head', name: 'Head', groups: ['head'], iin });
    expect(users.byId('head')?.iin).toBe(iin);
    expect(users.authenticate('clerk-token')).toEqual({ id: 'clerk', name: 'Clerk', groups: ['office'] });
  });

  it.each([
    ['eleven digits', '12345678901'],
    ['a wrong control digit', `${makeIin(new Date(Date.UTC(1975, 4, 17))).slice(0, 11)}${(Number(makeIin(new Date(Date.UTC(1975, 4, 17))).slice(11)) + 1) % 10}`],
    ['a number', 750517400421],
  ])('refuses %s with the user named', (_name, iin) => {
    expect(() => directory([{ id: 'head', groups: ['head'], iin, tokenSha256: sha256Hex('t') }])).toThrow(/\(head\): "iin" must be a valid IIN/);
  });
});
