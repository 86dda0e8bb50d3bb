import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { isValidIin } from '../iin-bin';

export interface User {
  id: string;
  name: string;
  groups: string[];
  /** The person's IIN: a document they sign through NCALayer must carry it in the certificate. */
  iin?: string;
}

interface UserRecord extends User {
  tokenSha256: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Users and their groups, read from a JSON file. Only the SHA-256 of each token is stored, so
 * the file can be read by operators without handing out credentials.
 */
export class UserDirectory {
  private readonly byHash = new Map<string, UserRecord>();
  /** Users of this process only (addProcessUser), kept across reloadFrom. */
  private readonly processUsers = new Map<string, UserRecord>();

  constructor(records: UserRecord[]) {
    for (const record of records) this.byHash.set(record.tokenSha256.toLowerCase(), record);
  }

  static fromFile(file: string): UserDirectory {
    return new UserDirectory(readUserRecords(file));
  }

  /** Replaces the users with the file's (the first run has just written its demo users). */
  reloadFrom(file: string): void {
    const records = readUserRecords(file);
    this.byHash.clear();
    for (const record of records) this.byHash.set(record.tokenSha256.toLowerCase(), record);
    for (const [hash, record] of this.processUsers) this.byHash.set(hash, record);
  }

  /**
   * A user known to this process only, never written to the users file: the default run's portal
   * simulator files its demo applications with one whose token it alone holds, made anew each start.
   */
  addProcessUser(user: { id: string; name: string; groups: string[] }, token: string): void {
    const record = { ...user, groups: [...user.groups], tokenSha256: sha256Hex(token) };
    this.processUsers.set(record.tokenSha256, record);
    this.byHash.set(record.tokenSha256, record);
  }

  authenticate(token: string): User | undefined {
    const hash = sha256Hex(token);
    const record = this.byHash.get(hash);
    // The map lookup already matched; the constant-time compare keeps the check honest if the
    // lookup is ever replaced by a scan.
    if (!record || !timingSafeEqual(Buffer.from(record.tokenSha256.toLowerCase()), Buffer.from(hash))) return undefined;
    return withIin({ id: record.id, name: record.name, groups: [...record.groups] }, record.iin);
  }

  /** A user's display name (the id itself for an id no user has: a user removed from the file since). */
  nameOf(id: string): string {
    for (const record of this.byHash.values()) if (record.id === id) return record.name;
    return id;
  }

  /** The user with this id, or undefined. */
  byId(id: string): User | undefined {
    for (const { id: userId, name, groups, iin } of this.byHash.values()) if (userId === id) return withIin({ id: userId, name, groups: [...groups] }, iin);
    return undefined;
  }

  /** The users of a group, by display name (an "assign to" chooser). */
  members(group: string): User[] {
    // A process user (the portal simulator's account) is no one a task can be handed to.
    const processIds = new Set([...this.processUsers.values()].map((u) => u.id));
    return this.list()
      .filter((u) => u.groups.includes(group) && !processIds.has(u.id))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  }

  list(): User[] {
    return [...this.byHash.values()].map(({ id, name, groups, iin }) => withIin({ id, name, groups: [...groups] }, iin));
  }
}

function withIin(user: User, iin: string | undefined): User {
  if (iin) user.iin = iin;
  return user;
}

function readUserRecords(file: string): UserRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Users file ${file} cannot be read as JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new Error(`Users file ${file} must hold a JSON array of users`);
  const records = raw.map((entry, index) => {
    const where = `${file}: user #${index + 1}`;
    if (!entry || typeof entry !== 'object') throw new Error(`${where} is not an object`);
    const { id, name, groups, tokenSha256, iin } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || !id) throw new Error(`${where}: "id" must be a non-empty string`);
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new Error(`${where} (${id}): "groups" must be an array of strings`);
    if (typeof tokenSha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(tokenSha256)) throw new Error(`${where} (${id}): "tokenSha256" must be 64 hex digits`);
    if (iin !== undefined && !isValidIin(iin)) throw new Error(`${where} (${id}): "iin" must be a valid IIN (12 digits with its control digit)`);
    const record: UserRecord = { id, name: typeof name === 'string' ? name : id, groups: groups as string[], tokenSha256 };
    if (typeof iin === 'string') record.iin = iin;
    return record;
  });
  return records;
}
