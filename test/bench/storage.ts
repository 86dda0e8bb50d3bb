/**
 * Where the bytes of an open application go: sqlite's dbstat virtual table (every b-tree page of
 * every table and index, with the bytes of payload on it) and the row count of each table, read
 * from the two filled databases; the difference divided by the difference in open applications is
 * what one more application costs, table by table (its rows, their payload, its index pages).
 */
import { DataSource } from 'typeorm';

export interface BtreeUsage {
  /** Pages times page size: what the file holds for this b-tree. */
  bytes: number;
  /** Bytes of cell payload (keys and row data) on those pages. */
  payload: number;
}

export interface StorageSnapshot {
  fileBytes: number;
  /** Per table: its own b-tree, its rows and the b-trees of its indexes (the automatic ones too). */
  tables: Map<string, { rows: number; table: BtreeUsage; indexes: Map<string, BtreeUsage> }>;
}

export async function storageSnapshot(ds: DataSource, fileBytes: number): Promise<StorageSnapshot> {
  const objects = (await ds.query(`SELECT "type", "name", "tbl_name" AS "table" FROM sqlite_schema WHERE "type" IN ('table', 'index')`)) as { type: string; name: string; table: string }[];
  const usage = new Map<string, BtreeUsage>();
  for (const row of (await ds.query(`SELECT "name", SUM("pgsize") AS "bytes", SUM("payload") AS "payload" FROM dbstat GROUP BY "name"`)) as { name: string; bytes: number; payload: number }[]) {
    usage.set(row.name, { bytes: Number(row.bytes), payload: Number(row.payload) });
  }
  const none: BtreeUsage = { bytes: 0, payload: 0 };
  const tables: StorageSnapshot['tables'] = new Map();
  for (const t of objects.filter((o) => o.type === 'table' && !o.name.startsWith('sqlite_'))) {
    const [{ n }] = (await ds.query(`SELECT COUNT(*) AS "n" FROM "${t.name}"`)) as { n: number }[];
    tables.set(t.name, { rows: Number(n), table: usage.get(t.name) ?? none, indexes: new Map() });
  }
  for (const i of objects.filter((o) => o.type === 'index')) tables.get(i.table)?.indexes.set(i.name, usage.get(i.name) ?? none);
  return { fileBytes, tables };
}

export interface TableGrowth {
  table: string;
  rows: number;
  payload: number;
  tableBytes: number;
  indexBytes: number;
  indexes: { name: string; bytes: number }[];
}

/** What one more open application adds, per table (rows, payload, table pages, index pages), largest first. */
export function growthPerApplication(few: StorageSnapshot, many: StorageSnapshot, apps: number): { file: number; tables: TableGrowth[] } {
  const per = (a: number, b: number) => (b - a) / apps;
  const tables: TableGrowth[] = [];
  for (const [name, m] of many.tables) {
    const f = few.tables.get(name);
    const indexes = [...m.indexes].map(([index, u]) => ({ name: index, bytes: per(f?.indexes.get(index)?.bytes ?? 0, u.bytes) }));
    const growth: TableGrowth = {
      table: name,
      rows: per(f?.rows ?? 0, m.rows),
      payload: per(f?.table.payload ?? 0, m.table.payload),
      tableBytes: per(f?.table.bytes ?? 0, m.table.bytes),
      indexBytes: indexes.reduce((s, i) => s + i.bytes, 0),
      indexes: indexes.sort((a, b) => b.bytes - a.bytes),
    };
    if (growth.rows || growth.tableBytes || growth.indexBytes) tables.push(growth);
  }
  tables.sort((a, b) => b.tableBytes + b.indexBytes - (a.tableBytes + a.indexBytes));
  return { file: per(few.fileBytes, many.fileBytes), tables };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** A markdown table of the growth per application, with the total. */
export function growthTable(growth: { file: number; tables: TableGrowth[] }): string[] {
  const sum = (f: (t: TableGrowth) => number) => growth.tables.reduce((s, t) => s + f(t), 0);
  return [
    '| table | rows | payload KiB | table KiB | index KiB | indexes (KiB each) |',
    '|---|---|---|---|---|---|',
    ...growth.tables.map((t) => `| \`${t.table}\` | ${t.rows.toFixed(1)} | ${kib(t.payload)} | ${kib(t.tableBytes)} | ${kib(t.indexBytes)} | ${t.indexes.filter((i) => Math.abs(i.bytes) >= 1).map((i) => `${i.name.startsWith('sqlite_autoindex') ? 'unique/primary key' : i.name} ${kib(i.bytes)}`).join(', ') || '-'} |`),
    `| **all** | ${sum((t) => t.rows).toFixed(1)} | ${kib(sum((t) => t.payload))} | ${kib(sum((t) => t.tableBytes))} | ${kib(sum((t) => t.indexBytes))} | file ${kib(growth.file)} |`,
  ];
}
