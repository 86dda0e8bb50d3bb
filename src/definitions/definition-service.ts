import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, notFound } from '../errors';
import { HandlerRegistry } from '../handlers/registry';
import { DefinitionEntity, DefinitionRow, DeploymentEntity, DeploymentRow } from '../persistence/entities';
import { isUniqueViolation } from '../persistence/errors';
import { writeTransaction } from '../persistence/write-lock';
import { DefinitionProblem, lintDefinition } from './lint';
import { describeProcess, executableProcesses, ProcessModel } from './model';
import { ModdleContext } from './moddle';
import { ParsedDefinition, parseBpmn } from './parse';

export interface DeploymentResource {
  /** File name as the analyst knows it; problems are reported against it. */
  name: string;
  source: string;
}

export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  resourceName: string;
  /** false when the content equals the latest version (no new version was made). */
  created: boolean;
}

export interface DeploymentResult {
  id: string | null;
  name: string;
  deployedAt: string;
  definitions: DeployedDefinition[];
}

export interface LoadedDefinition {
  row: DefinitionRow;
  model: ProcessModel;
  /** The context of the version's one parse: the engine builds its source from it, never from the XML again. */
  moddleContext: ModdleContext;
}

/** Any 64-bit number unique to this application: serialises deployments across server processes. */
const DEPLOYMENT_LOCK = 7_415_002;

/** Content equality ignores line-ending differences a modeler or git checkout may introduce. */
function contentHash(source: string): string {
  return createHash('sha256').update(source.replace(/\r\n/g, '\n').trim()).digest('hex');
}

/**
 * Versioned process definitions. Deploying validates every resource first and writes nothing
 * unless all are valid; unchanged content makes no new version; a running instance keeps the
 * version it started on because it refers to the definition row by id.
 */
export class DefinitionService {
  private readonly loaded = new Map<string, Promise<LoadedDefinition>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: HandlerRegistry,
    private readonly now: () => Date,
  ) {}

  async deploy(resources: DeploymentResource[], meta: { name: string; source: string; user?: string | null }): Promise<DeploymentResult> {
    if (resources.length === 0) throw new DomainError('invalid', 'NO_RESOURCES', 'A deployment needs at least one BPMN resource');
    const parsed = await Promise.all(resources.map(async (r) => ({ resource: r, parsed: await parseBpmn(r.source, r.name) })));

    const knownKeys = new Set(await this.latestKeys());
    const keysInDeployment = new Map<string, string>();
    const problems: DefinitionProblem[] = [];
    for (const { resource, parsed: p } of parsed) {
      if (!p.definitions) continue;
      for (const process of executableProcesses(p.definitions)) {
        const earlier = keysInDeployment.get(process.id);
        if (earlier) {
          problems.push({ file: resource.name, elementId: process.id, rule: 'duplicate-process-key', severity: 'error', message: `Process key "${process.id}" is also defined in ${earlier}` });
        }
        keysInDeployment.set(process.id, resource.name);
        knownKeys.add(process.id);
      }
    }
    for (const { resource, parsed: p } of parsed) {
      const found = await lintDefinition(p, { file: resource.name, handlers: this.handlers.names(), processKeys: knownKeys, producedVariables: this.handlers.producers() });
      problems.push(...found.map((problem) => ({ ...problem, file: problem.file ?? resource.name })));
    }
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new DomainError('unprocessable', 'INVALID_DEFINITION', describeProblems(errors), { problems: errors });
    }

    // Two server processes starting on one database deploy processes/ at the same moment: the
    // loser of the race on a new version's id finds, on the next attempt, the winner's version
    // with the same content and creates nothing.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store(parsed, meta);
      } catch (error) {
        if (attempt >= 5 || !isUniqueViolation(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async store(parsed: { resource: DeploymentResource; parsed: ParsedDefinition }[], meta: { name: string; source: string; user?: string | null }): Promise<DeploymentResult> {
    const deployedAt = this.now().toISOString();
    const deploymentId = randomUUID();
    return writeTransaction(this.dataSource, async (manager) => {
      // Deployments from other server processes on the same PostgreSQL database wait here until this
      // one commits, so each reads the version the other made (sqlite: BEGIN IMMEDIATE does the same).
      if (manager.connection.options.type === 'postgres') await manager.query('SELECT pg_advisory_xact_lock($1)', [DEPLOYMENT_LOCK]);
      const definitions: DeployedDefinition[] = [];
      const rows: DefinitionRow[] = [];
      for (const { resource, parsed: p } of parsed) {
        const model = describeProcess(p.definitions!);
        const hash = contentHash(resource.source);
        const latest = await manager.getRepository(DefinitionEntity).findOne({ where: { key: model.key }, order: { version: 'DESC' } });
        if (latest && latest.sourceHash === hash) {
          definitions.push({ id: latest.id, key: latest.key, version: latest.version, name: latest.name, resourceName: latest.resourceName, created: false });
          continue;
        }
        const version = (latest?.version ?? 0) + 1;
        const row: DefinitionRow = {
          id: `${model.key}:${version}`,
          key: model.key,
          version,
          name: model.name ?? null,
          resourceName: resource.name,
          source: resource.source,
          sourceHash: hash,
          deploymentId,
          deployedAt,
        };
        rows.push(row);
        definitions.push({ id: row.id, key: row.key, version, name: row.name, resourceName: row.resourceName, created: true });
      }
      if (rows.length === 0) return { id: null, name: meta.name, deployedAt, definitions };
      const deployment: DeploymentRow = { id: deploymentId, name: meta.name, source: meta.source, deployedAt, deployedBy: meta.user ?? null };
      await manager.getRepository(DeploymentEntity).insert(deployment);
      await manager.getRepository(DefinitionEntity).insert(rows);
      return { id: deploymentId, name: meta.name, deployedAt, definitions };
    });
  }

  async latest(key: string): Promise<DefinitionRow> {
    const row = await this.dataSource.getRepository(DefinitionEntity).findOne({ where: { key }, order: { version: 'DESC' } });
    if (!row) throw notFound(`No process definition with key "${key}" is deployed`);
    return row;
  }

  async list(all: boolean): Promise<DefinitionRow[]> {
    const rows = await this.dataSource.getRepository(DefinitionEntity).find({ order: { key: 'ASC', version: 'ASC' } });
    if (all) return rows;
    const latest = new Map<string, DefinitionRow>();
    for (const row of rows) latest.set(row.key, row);
    return [...latest.values()];
  }

  async byId(id: string): Promise<DefinitionRow> {
    const row = await this.dataSource.getRepository(DefinitionEntity).findOne({ where: { id } });
    if (!row) throw notFound(`No process definition with id "${id}"`);
    return row;
  }

  /** Parsed model and engine source of one version, built once and kept: versions never change. */
  load(definitionId: string): Promise<LoadedDefinition> {
    let pending = this.loaded.get(definitionId);
    if (!pending) {
      pending = (async () => {
        const row = await this.byId(definitionId);
        const parsed = await parseBpmn(row.source, row.resourceName);
        if (!parsed.definitions || !parsed.moddleContext) throw new DomainError('internal', 'STORED_DEFINITION_UNREADABLE', `Stored definition ${definitionId} no longer parses`);
        return { row, model: describeProcess(parsed.definitions), moddleContext: parsed.moddleContext };
      })();
      pending.catch(() => this.loaded.delete(definitionId));
      this.loaded.set(definitionId, pending);
    }
    return pending;
  }

  private async latestKeys(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(DefinitionEntity).createQueryBuilder('d').select('DISTINCT d.key', 'key').getRawMany<{ key: string }>();
    return rows.map((r) => r.key);
  }
}

export function describeProblems(problems: DefinitionProblem[]): string {
  const lines = problems.map((p) => `${p.file ?? ''}${p.elementId ? ` ${p.elementId}` : ''}: [${p.rule}] ${p.message}`);
  return `The deployment was rejected, nothing was deployed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}
