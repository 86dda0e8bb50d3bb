import fs from 'node:fs';
import path from 'node:path';
import { sha256Hex, UserDirectory } from '../../../src/identity/users';
import { tempDir } from '../../support/test-host';

/* The default run's portal simulator files demo applications as a user of the server process only. */
describe('UserDirectory.addProcessUser', () => {
  it('authenticates by its token, is never written to the users file and survives reloadFrom', () => {
    const file = path.join(tempDir(), 'users.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'office-clerk', name: 'Clerk', groups: ['office'], tokenSha256: sha256Hex('clerk-token') }]));
    const users = UserDirectory.fromFile(file);
    users.addProcessUser({ id: 'egov-portal', name: 'e-gov portal', groups: ['office'] }, 'portal-token');
    expect(users.authenticate('portal-token')).toMatchObject({ id: 'egov-portal', groups: ['office'] });
    expect(users.authenticate('clerk-token')).toMatchObject({ id: 'office-clerk' });

    // The first run writes its demo users and reloads them: the process user stays.
    fs.writeFileSync(file, JSON.stringify([{ id: 'head', name: 'Head', groups: ['head'], tokenSha256: sha256Hex('head-token') }]));
    users.reloadFrom(file);
    expect(users.authenticate('portal-token')).toMatchObject({ id: 'egov-portal' });
    expect(users.authenticate('clerk-token')).toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('egov-portal');
    expect(users.authenticate('portal-token-2')).toBeUndefined();
    // It may start what the office starts, but no one hands it a task.
    fs.writeFileSync(file, JSON.stringify([{ id: 'office-clerk', name: 'Clerk', groups: ['office'], tokenSha256: sha256Hex('clerk-token') }]));
    users.reloadFrom(file);
    expect(users.members('office').map((u) => u.id)).toEqual(['office-clerk']);
  });
});
