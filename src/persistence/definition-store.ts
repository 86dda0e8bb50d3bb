import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DefinitionEntity, DefinitionRow, DeploymentEntity, DeploymentRow } from './entities';
import { isUniqueViolation } from './errors';
import { writeTransaction } from './write-lock';

/** One process of a deployment, checked and ready to store. */
export interface NewVersion {
  key: string;
  name: string | null;
  resourceName: string;
  source: string;
  /** Content equality: a version whose hash equals the latest one's makes no new version. */
  sourceHash: string;
  /** The process property `inForceFrom` ("YYYY-MM-DD"), or null: in force from its deployment. */
  inForceFrom: string | null;
}

export interface StoredVersion {
  row: DefinitionRow;
  /** false when the content equals the latest version (no new version was made). */
  created: boolean;
}

export interface StoredDeployment {
  /** null when nothing changed (no deployment row is written). */
  id: string | null;
  deployedAt: string;
  versions: StoredVersion[];
}

/** The deployed versions of process definitions (DefinitionService's storage). */
export interface DefinitionStore {
  keys(): Promise<string[]>;
  latest(key: string): Promise<DefinitionRow | null>;
  /** Every version, by key and version. */
  all(): Promise<DefinitionRow[]>;
  /** Every version of one key, oldest first. */
  versions(key: string): Promise<DefinitionRow[]>;
  byId(id: string): Promise<DefinitionRow | null>;
  save(versions: NewVersion[], meta: { name: string; source: string; user?: string | null; deployedAt: string }): Promise<StoredDeployment>;
}

/** Any 64-bit number unique to this application: serialises deployments across server processes. */
const DEPLOYMENT_LOCK = 7_415_002;

export class SqlDefinitionStore implements DefinitionStore {
  constructor(private readonly dataSource: DataSource) {}

  async keys(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(DefinitionEntity).createQueryBuilder('d').select('DISTINCT d.key', 'key').getRawMany<{ key: string }>();
    return rows.map((r) => r.key);
  }

  latest(key: string): Promise<DefinitionRow | null> {
    return this.dataSource.getRepository(DefinitionEntity).findOne({ where: { key }, order: { version: 'DESC' } });
  }

  all(): Promise<DefinitionRow[]> {
    return this.dataSource.getRepository(DefinitionEntity).find({ order: { key: 'ASC', version: 'ASC' } });
  }

  versions(key: string): Promise<DefinitionRow[]> {
    return this.dataSource.getRepository(DefinitionEntity).find({ where: { key }, order: { version: 'ASC' } });
  }

  byId(id: string): Promise<DefinitionRow | null> {
    return this.dataSource.getRepository(DefinitionEntity).findOne({ where: { id } });
  }

  /**
   * Stores a new version of each process whose content changed. Two server processes starting on one
   * database deploy processes/ at the same moment: the loser of the race on a new version's id finds,
   * on the next attempt, the winner's version with the same content and creates nothing.
   */
  async save(versions: NewVersion[], meta: { name: string; source: string; user?: string | null; deployedAt: string }): Promise<StoredDeployment> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.saveOnce(versions, meta);
      } catch (error) {
        if (attempt >= 5 || !isUniqueViolation(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private saveOnce(versions: NewVersion[], meta: { name: string; source: string; user?: string | null; deployedAt: string }): Promise<StoredDeployment> {
    const { deployedAt } = meta;
    const deploymentId = randomUUID();
    return writeTransaction(this.dataSource, async (manager) => {
      // Deployments from other server processes on the same PostgreSQL database wait here until this
      // one commits, so each reads the version the other made (sqlite: BEGIN IMMEDIATE does the same).
      if (manager.connection.options.type === 'postgres') await manager.query('SELECT pg_advisory_xact_lock($1)', [DEPLOYMENT_LOCK]);
      const stored: StoredVersion[] = [];
      const rows: DefinitionRow[] = [];
      for (const next of versions) {
        const latest = await manager.getRepository(DefinitionEntity).findOne({ where: { key: next.key }, order: { version: 'DESC' } });
        if (latest && latest.sourceHash === next.sourceHash) {
          stored.push({ row: latest, created: false });
          continue;
        }
        const version = (latest?.version ?? 0) + 1;
        const row: DefinitionRow = { id: `${next.key}:${version}`, version, ...next, deploymentId, deployedAt };
        rows.push(row);
        stored.push({ row, created: true });
      }
      if (rows.length === 0) return { id: null, deployedAt, versions: stored };
      const deployment: DeploymentRow = { id: deploymentId, name: meta.name, source: meta.source, deployedAt, deployedBy: meta.user ?? null };
      await manager.getRepository(DeploymentEntity).insert(deployment);
      await manager.getRepository(DefinitionEntity).insert(rows);
      return { id: deploymentId, deployedAt, versions: stored };
    });
  }
}
