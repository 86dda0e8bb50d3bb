import { createHash } from 'node:crypto';
import { DomainError, notFound } from '../errors';
import { HandlerRegistry } from '../handlers/registry';
import type { DefinitionStore } from '../persistence/definition-store';
import { DefinitionRow } from '../persistence/entities';
import { civilDate, inForceFromOf, InForcePeriod, inForcePeriods, IN_FORCE_PROPERTY, versionInForce } from './in-force';
import { DefinitionProblem, lintDefinition } from './lint';
import { describeProcess, executableProcesses, ProcessModel } from './model';
import { ModdleContext } from './moddle';
import { parseBpmn } from './parse';

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
  /** The date from which the version is in force (process property `inForceFrom`); null: from its deployment. */
  inForceFrom: string | null;
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
    private readonly store: DefinitionStore,
    private readonly handlers: HandlerRegistry,
    private readonly now: () => Date,
    /** The zone of filing dates (the calendar's). */
    private readonly zone?: string,
  ) {}

  async deploy(resources: DeploymentResource[], meta: { name: string; source: string; user?: string | null }): Promise<DeploymentResult> {
    if (resources.length === 0) throw new DomainError('invalid', 'NO_RESOURCES', 'A deployment needs at least one BPMN resource');
    const parsed = await Promise.all(resources.map(async (r) => ({ resource: r, parsed: await parseBpmn(r.source, r.name) })));

    const knownKeys = new Set(await this.store.keys());
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
    const inForce = parsed.map(({ resource, parsed: p }) => {
      const found = p.definitions ? inForceFromOf(p.definitions) : {};
      if (found.problem) problems.push({ file: resource.name, elementId: p.definitions ? executableProcesses(p.definitions)[0]?.id : undefined, rule: IN_FORCE_PROPERTY, severity: 'error', message: found.problem });
      return found.date ?? null;
    });
    for (const { resource, parsed: p } of parsed) {
      const found = await lintDefinition(p, { file: resource.name, handlers: this.handlers.names(), processKeys: knownKeys, producedVariables: this.handlers.producers() });
      problems.push(...found.map((problem) => ({ ...problem, file: problem.file ?? resource.name })));
    }
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new DomainError('unprocessable', 'INVALID_DEFINITION', describeProblems(errors), { problems: errors });
    }

    const models = parsed.map(({ parsed: p }) => describeProcess(p.definitions!));
    const stored = await this.store.save(
      parsed.map(({ resource }, i) => ({ key: models[i].key, name: models[i].name ?? null, resourceName: resource.name, source: resource.source, sourceHash: contentHash(resource.source), inForceFrom: inForce[i] })),
      { ...meta, deployedAt: this.now().toISOString() },
    );
    const definitions = stored.versions.map(({ row, created }) => ({ id: row.id, key: row.key, version: row.version, name: row.name, resourceName: row.resourceName, created, inForceFrom: row.inForceFrom ?? null }));
    return { id: stored.id, name: meta.name, deployedAt: stored.deployedAt, definitions };
  }

  async latest(key: string): Promise<DefinitionRow> {
    const row = await this.store.latest(key);
    if (!row) throw notFound(`No process definition with key "${key}" is deployed`);
    return row;
  }

  /**
   * The version a new application filed at `at` starts on (see in-force.ts): the highest version
   * whose `inForceFrom` has come by the filing date in Almaty.
   */
  async inForce(key: string, at: Date): Promise<DefinitionRow> {
    const versions = await this.store.versions(key);
    if (versions.length === 0) throw notFound(`No process definition with key "${key}" is deployed`);
    const date = civilDate(at, this.zone);
    const row = versionInForce(versions, date);
    if (!row) {
      const first = versions.map((v) => v.inForceFrom!).sort()[0];
      throw new DomainError('unprocessable', 'NOT_YET_IN_FORCE', `No version of "${key}" is in force on ${date}: the first comes into force on ${first}`);
    }
    return row;
  }

  /** Which version applies to applications filed when, from today on (the catalog's "in force" line). */
  async inForcePeriods(key: string): Promise<{ today: string; periods: InForcePeriod[] }> {
    const versions = await this.store.versions(key);
    if (versions.length === 0) throw notFound(`No process definition with key "${key}" is deployed`);
    const today = civilDate(this.now(), this.zone);
    return { today, periods: inForcePeriods(versions, today) };
  }

  async list(all: boolean): Promise<DefinitionRow[]> {
    const rows = await this.store.all();
    if (all) return rows;
    const latest = new Map<string, DefinitionRow>();
    for (const row of rows) latest.set(row.key, row);
    return [...latest.values()];
  }

  async byId(id: string): Promise<DefinitionRow> {
    const row = await this.store.byId(id);
    if (!row) throw notFound(`No process definition with id "${id}"`);
    return row;
  }

  /**
   * Parsed model and moddle context of one version, parsed once and kept: versions never change. Not
   * the deployment's parse: the engine stalled (ENGINE_STALLED) on a context that lint had walked.
   */
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
}

export function describeProblems(problems: DefinitionProblem[]): string {
  const lines = problems.map((p) => `${p.file ?? ''}${p.elementId ? ` ${p.elementId}` : ''}: [${p.rule}] ${p.message}`);
  return `The deployment was rejected, nothing was deployed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}
