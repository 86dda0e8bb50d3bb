/**
 * Fills a database with open applications in bulk, through the persistence layer: the schema comes
 * from the project's migrations (openDatabase), the definitions from DefinitionService.deploy, and
 * every row is a clone of rows the runtime itself wrote at a real waiting point of a reglament
 * (templates read back by harvest() in throughput.ts): the same tables, columns and JSON (engine
 * state, variables, active activities, history data). A clone gets fresh ids for its instances,
 * tasks and timers (replaced wherever the template's text holds them: engine state, variables,
 * history data), its own business key, and all its timestamps shifted by one random offset of
 * 0-14 days forward, so that due dates spread over the task list and no timer falls due while the
 * server is measured. Rows go in with multi-row INSERTs, 5,000 applications per transaction.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { DataSource, EntitySchema } from 'typeorm';
import { DefinitionService } from '../../src/definitions/definition-service';
import { readProcessFiles } from '../../src/definitions/process-files';
import { createDefaultHandlers } from '../../src/handlers';
import { HistoryEntity, HistoryRow, InstanceEntity, InstanceRow, TaskEntity, TaskGroupEntity, TaskGroupRow, TaskRow, TimerEntity, TimerRow, DUE_SORT_NONE } from '../../src/persistence/entities';
import { openDatabase } from '../../src/persistence/data-source';
import { SqlDefinitionStore } from '../../src/persistence/definition-store';
import { Progress } from './common';

export interface Template {
  instances: InstanceRow[];
  tasks: TaskRow[];
  groups: TaskGroupRow[];
  timers: TimerRow[];
  history: Omit<HistoryRow, 'id'>[];
}

// dueSort (tasks and their group rows) is the due date, or DUE_SORT_NONE, which stays as it is.
const TIMESTAMP_COLUMNS = new Set(['startedAt', 'endedAt', 'deadline', 'created', 'due', 'dueSort', 'completedAt', 'escalatedAt', 'createdAt', 'dueAt', 'firedAt', 'lockedUntil', 'at']);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Cell = (ids: string[], shiftMs: number) => unknown;

/** A text cell as literal parts between occurrences of the template's ids (index into the clone's new ids). */
function compileText(text: string, tokens: Map<string, number>, pattern: RegExp | null): Cell {
  if (!pattern) return () => text;
  const parts: (string | number)[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index), tokens.get(match[0])!);
    last = match.index! + match[0].length;
  }
  if (parts.length === 0) return () => text;
  parts.push(text.slice(last));
  return (ids) => {
    let out = '';
    for (const p of parts) out += typeof p === 'number' ? ids[p] : p;
    return out;
  };
}

interface CompiledTable {
  table: string;
  columns: string[];
  rows: Cell[][];
}

export interface CompiledTemplate {
  tokens: number;
  tokenKinds: ('uuid' | 'businessKey')[];
  tables: CompiledTable[];
}

function columnsOf(ds: DataSource, entity: EntitySchema<any>, skip: string[] = []) {
  const meta = ds.getMetadata(entity);
  return { table: meta.tableName, columns: meta.columns.filter((c) => !skip.includes(c.propertyName)).map((c) => ({ db: c.databaseName, prop: c.propertyName, transformer: c.transformer })) };
}

export function compileTemplate(ds: DataSource, template: Template): CompiledTemplate {
  const tokens = new Map<string, number>();
  const kinds: ('uuid' | 'businessKey')[] = [];
  const add = (value: string | null | undefined, kind: 'uuid' | 'businessKey') => {
    if (value && !tokens.has(value)) {
      tokens.set(value, kinds.length);
      kinds.push(kind);
    }
  };
  template.instances.forEach((i) => add(i.id, 'uuid'));
  template.tasks.forEach((t) => add(t.id, 'uuid'));
  template.timers.forEach((t) => add(t.id, 'uuid'));
  template.instances.forEach((i) => add(i.businessKey, 'businessKey'));
  const escaped = [...tokens.keys()].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = escaped.length ? new RegExp(escaped.join('|'), 'g') : null;
  const compileRows = (entity: EntitySchema<any>, rows: object[], skip: string[] = []): CompiledTable => {
    const { table, columns } = columnsOf(ds, entity, skip);
    return {
      table,
      columns: columns.map((c) => c.db),
      rows: rows.map((row) =>
        columns.map(({ prop, transformer }): Cell => {
          const value = (row as Record<string, unknown>)[prop];
          if (typeof value === 'string') {
            if (TIMESTAMP_COLUMNS.has(prop) && ISO.test(value) && value !== DUE_SORT_NONE) {
              const t = Date.parse(value);
              return (_ids, shift) => new Date(t + shift).toISOString();
            }
            const text = compileText(value, tokens, pattern);
            // A column stored in another form than its text (the deflated JSON of compressed-columns.ts) is encoded per clone, as the store would.
            if (transformer && !Array.isArray(transformer)) return (ids, shift) => transformer.to(text(ids, shift));
            return text;
          }
          if (typeof value === 'boolean') return () => (value ? 1 : 0);
          return () => value ?? null;
        }),
      ),
    };
  };
  return {
    tokens: kinds.length,
    tokenKinds: kinds,
    tables: [
      compileRows(InstanceEntity, template.instances),
      compileRows(TaskEntity, template.tasks),
      compileRows(TaskGroupEntity, template.groups),
      compileRows(TimerEntity, template.timers),
      compileRows(HistoryEntity, template.history, ['id']),
    ],
  };
}

/** A new database with the schema and the deployed processes of `processesDir`. */
export async function createDatabase(file: string, processesDir: string, postgres?: { url: string; schema: string }): Promise<DataSource> {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const ds = await openDatabase(postgres ? { databaseUrl: postgres.url, schema: postgres.schema, sqliteFile: file } : { sqliteFile: file });
  await new DefinitionService(new SqlDefinitionStore(ds), createDefaultHandlers(), () => new Date()).deploy(readProcessFiles(processesDir), { name: 'processes/ at start', source: 'startup' });
  return ds;
}

const MAX_PARAMS = 30_000;
const PER_TRANSACTION = 5_000;

/** Adds `count` open applications, cloned round-robin from the templates, with a progress display. */
export async function fill(ds: DataSource, templates: CompiledTemplate[], count: number, label: string): Promise<{ seconds: number; rows: number }> {
  const started = Date.now();
  const progress = new Progress(label, count);
  const runner = ds.createQueryRunner();
  await runner.connect();
  await runner.query('PRAGMA synchronous = OFF');
  let rows = 0;
  try {
    for (let done = 0; done < count; ) {
      const batch = Math.min(PER_TRANSACTION, count - done);
      const buffers = new Map<string, { columns: string[]; values: unknown[][] }>();
      for (let i = 0; i < batch; i++) {
        const n = done + i;
        const template = templates[n % templates.length];
        const ids = template.tokenKinds.map((k) => (k === 'uuid' ? randomUUID() : `bench-fill-${n}`));
        const shift = Math.floor(Math.random() * 14 * 24 * 3600 * 1000);
        for (const table of template.tables) {
          let buffer = buffers.get(table.table);
          if (!buffer) buffers.set(table.table, (buffer = { columns: table.columns, values: [] }));
          for (const row of table.rows) buffer.values.push(row.map((cell) => cell(ids, shift)));
        }
      }
      await runner.query('BEGIN');
      for (const [table, { columns, values }] of buffers) {
        const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
        const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
        const one = `(${columns.map(() => '?').join(', ')})`;
        for (let at = 0; at < values.length; at += perStatement) {
          const chunk = values.slice(at, at + perStatement);
          await runner.query(head + chunk.map(() => one).join(', '), chunk.flat());
          rows += chunk.length;
        }
      }
      await runner.query('COMMIT');
      done += batch;
      progress.update(done);
    }
    progress.done();
    // The rows went in around the runtime, so the open-task counters the runtime keeps are set here.
    await runner.query('DELETE FROM "task_group_counts"');
    await runner.query(`INSERT INTO "task_group_counts" ("groupId", "open") SELECT "groupId", COUNT(*) FROM "task_candidate_groups" WHERE "state" = 'open' GROUP BY "groupId"`);
    await runner.query('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await runner.release();
  }
  return { seconds: (Date.now() - started) / 1000, rows };
}
