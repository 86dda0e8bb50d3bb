import path from 'node:path';

export interface AppConfig {
  port: number;
  host: string;
  /** `postgres://...` selects PostgreSQL; otherwise `database` is a sqlite file path. */
  databaseUrl?: string;
  database: string;
  processesDir: string;
  usersFile?: string;
  /** Where the default run writes its demo users when no USERS_FILE is given. */
  dataDir: string;
  calendarFile?: string;
}

/** Reads the configuration from the environment; every value has a default for the embedded run. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const dataDir = path.resolve(cwd, env.DATA_DIR ?? 'data');
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    database: path.resolve(cwd, env.DB_FILE ?? path.join(dataDir, 'reglament.sqlite')),
    processesDir: path.resolve(cwd, env.PROCESSES_DIR ?? 'processes'),
    usersFile: env.USERS_FILE ? path.resolve(cwd, env.USERS_FILE) : undefined,
    dataDir,
    calendarFile: env.CALENDAR_FILE ? path.resolve(cwd, env.CALENDAR_FILE) : undefined,
  };
}
