/**
 * Drops the schemas that test hosts created on the test PostgreSQL database (named t_reglament_test_*,
 * see postgresFor in test/support/test-host.ts). Run before the suite on PostgreSQL so they do not pile up.
 */
import { DataSource } from 'typeorm';

async function main(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('Set TEST_DATABASE_URL=postgres://...');
  const db = new DataSource({ type: 'postgres', url });
  await db.initialize();
  try {
    const rows: { nspname: string }[] = await db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_reglament\\_test\\_%'");
    for (const { nspname } of rows) await db.query(`DROP SCHEMA "${nspname}" CASCADE`);
    console.log(`dropped ${rows.length} test schema(s) on ${url.replace(/\/\/[^@]*@/, '//')}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
