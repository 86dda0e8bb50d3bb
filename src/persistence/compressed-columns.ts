import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DataSource, ValueTransformer } from 'typeorm';
import { InstanceEntity } from './entities';

/**
 * An instance's engine state and variables are JSON text and most of an open application's bytes
 * (docs/performance.md). On sqlite they are stored deflated, as BLOBs in their text columns: sqlite
 * keeps a BLOB as it is whatever a column's declared type, and typeorm has no column type that is a
 * blob on both databases. Readers get the same text back through the column's transformer, so no
 * code above this room sees the difference; a value still stored as text (a row written before
 * migration CompactStorage1796441303500) reads as it is.
 *
 * PostgreSQL compresses long text values itself (TOAST), so there the columns stay plain JSON:
 * readable with psql, and by a server of the previous version during a rolling upgrade.
 */
export const COMPRESSED_INSTANCE_COLUMNS = ['engineState', 'variables'] as const;

export function deflateText(text: string): Buffer {
  return deflateRawSync(Buffer.from(text, 'utf8'));
}

export function inflateText(stored: Buffer | string): string {
  return Buffer.isBuffer(stored) ? inflateRawSync(stored).toString('utf8') : stored;
}

const deflated: ValueTransformer = {
  to: (value: unknown) => (typeof value === 'string' ? deflateText(value) : value),
  from: (value: unknown) => (value === null || value === undefined ? value : inflateText(value as Buffer | string)),
};

/** Stores the instance's JSON columns deflated on a sqlite DataSource (its own column metadata; PostgreSQL is left alone). */
export function compressInstanceColumns(dataSource: DataSource): void {
  if (dataSource.options.type !== 'sqlite') return;
  const metadata = dataSource.getMetadata(InstanceEntity);
  for (const property of COMPRESSED_INSTANCE_COLUMNS) metadata.findColumnWithPropertyName(property)!.transformer = deflated;
}
