import path from 'node:path';
import { ShepSettings, shepSettingsFromEnv } from './integrations/shep/services';
import { SystemUrls, systemUrlsFromEnv } from './integrations/systems';
import { LOG_LEVELS, LogLevel } from './observability/logger';

export interface AppConfig {
  port: number;
  host: string;
  /** `postgres://...` selects PostgreSQL; otherwise `database` is a sqlite file path. */
  databaseUrl?: string;
  /** TIMER_POLL_MS: how often this process looks for due timers (default 1000; 0 = never). */
  timerPollMs: number;
  /** DATABASE_SCHEMA: PostgreSQL schema (default public). */
  databaseSchema?: string;
  /** ENGINE_CACHE_SIZE: engines kept after a step for the instance's next step (default 100; 0 = none). */
  engineCacheSize: number;
  /** ENGINE_CACHE_IDLE_MS: a kept engine unused this long is let go (default 30000). */
  engineCacheIdleMs: number;
  /** STEP_MAX_TRANSITIONS: activities started plus flows taken in one step before it is aborted as a loop (default 500). */
  stepMaxTransitions: number;
  /** STEP_TIMEOUT_MS: a step that reaches no wait state in this time is aborted (default 60000). */
  stepTimeoutMs: number;
  database: string;
  processesDir: string;
  usersFile?: string;
  /** Where the default run writes its demo users when no USERS_FILE is given. */
  dataDir: string;
  calendarFile?: string;
  /** External information systems (issue 4): base URLs, call tuning, trust and the provider's key. */
  externalSystems: ExternalSystemsConfig;
  /** PUBLIC_URL: the address clients reach the server at, for links in answers (default: the listening address). Never taken from a request's Host. */
  publicUrl?: string;
  /** AUTH_FAILURE_LIMIT: failed sign-ins (wrong token) one client may make per window before it gets 429 (default 20; 0 = no limit). */
  authFailureLimit: number;
  /** AUTH_FAILURE_WINDOW_MS: the window of AUTH_FAILURE_LIMIT (default 900000, 15 minutes). */
  authFailureWindowMs: number;
  /** AT_RISK_SHARE: a task is at risk in the last share of its limit's working time (default 0.25, above 0 and below 1). */
  atRiskShare: number;
  /** SESSION_MAX_AGE_MS: a web app session ends this long after sign-in (default 43200000, 12 hours). */
  sessionMaxAgeMs: number;
  /** SESSION_IDLE_MS: ... or after this long without a request (default 7200000, 2 hours). */
  sessionIdleMs: number;
  /** ATTACHMENT_MAX_BYTES: the largest document one may attach to a task (default 20971520, 20 MB). */
  attachmentMaxBytes: number;
  /** NCALAYER_URL: where the signer's browser reaches NCALayer (default wss://127.0.0.1:13579/, NCALayer's own port). */
  ncalayerUrl: string;
  /** LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel: LogLevel;
  /** METRICS_TOKEN: /metrics answers a scraper that sends it as a Bearer token. */
  metricsToken?: string;
  /** METRICS_PORT: /metrics (and the health endpoints) on a port of their own, on HOST; /metrics then leaves the API's port. */
  metricsPort?: number;
  /** METRICS_CACHE_MS: how long the database counts of /metrics (tasks, timers, incidents) are reused between scrapes (default 5000). */
  metricsCacheMs: number;
  /** EXTERNAL_TASK_TOPICS: service-task topics served by external workers on /engine-rest/external-task (comma-separated; default none). */
  externalTaskTopics: string[];
  /** SHUTDOWN_TIMEOUT_MS: after SIGTERM/SIGINT, how long requests and steps in flight may take before they are cut (default 30000). */
  shutdownTimeoutMs: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT = 20;
export const DEFAULT_AUTH_FAILURE_WINDOW_MS = 15 * 60_000;

/** An absolute http(s) URL without a trailing slash, or a clear error naming the setting. */
function publicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
  if (url.search || url.hash) throw new Error(`PUBLIC_URL must have no query or fragment, got "${raw}"`);
  return url.toString().replace(/\/+$/, '');
}

/** External information systems: base URLs, call tuning, trust and the provider's key. */
export interface ExternalSystemsConfig {
  /** Base URL per system, each from its env variable (EGOV_PORTAL_URL ..., see integrations/systems.ts); a system left out is unconfigured. */
  urls: SystemUrls;
  /** EXTERNAL_TIMEOUT_MS: per-attempt timeout (default 5000). */
  timeoutMs: number;
  /** EXTERNAL_ATTEMPTS: attempts of an idempotent call (default 3). */
  attempts: number;
  /** EXTERNAL_BACKOFF_MS: first backoff delay, doubled each retry (default 200). */
  backoffMs: number;
  /** TRUSTED_ROOTS_FILE: PEM file with the trusted root certificates (default: the CA's /ca/root.pem). */
  trustedRootsFile?: string;
  /** PROVIDER_KEY_FILE / PROVIDER_CERT_FILE: the provider's signing key (PKCS#8 PEM) and certificate. */
  providerKeyFile?: string;
  providerCertFile?: string;
  /** SHEP_SENDER_ID, SHEP_PASSWORD, SHEP_SERVICE_*: who this server is at ShEP and each service's id (integrations/shep/services.ts). */
  shep?: ShepSettings;
}

export const DEFAULT_AT_RISK_SHARE = 0.25;

/** A share strictly between 0 and 1 (0 would warn at the limit, 1 at creation: neither is a warning). */
function shareOfLimit(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new Error(`${name} must be a number above 0 and below 1 (e.g. 0.25), got "${raw}"`);
  return n;
}

/** A bound that 0 would turn into "refuse everything". */
function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const n = positiveInt(env, name, fallback);
  if (n < 1) throw new Error(`${name} must be a positive integer, got "${env[name]}"`);
  return n;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  const level = raw.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

/** Topic names, comma-separated; a malformed name stops the start with the setting's name. */
function externalTaskTopics(raw: string | undefined): string[] {
  const topics = (raw ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const bad = topics.find((t) => !/^[A-Za-z0-9_.:-]{1,200}$/.test(t));
  if (bad !== undefined) throw new Error(`EXTERNAL_TASK_TOPICS must be topic names separated by commas (letters, digits, . _ : -), got "${bad}"`);
  return [...new Set(topics)];
}

function metricsPort(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_PORT must be a port number, got "${raw}"`);
  return port;
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
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    engineCacheSize: positiveInt(env, 'ENGINE_CACHE_SIZE', 100),
    engineCacheIdleMs: positiveInt(env, 'ENGINE_CACHE_IDLE_MS', 30_000),
    stepMaxTransitions: atLeastOne(env, 'STEP_MAX_TRANSITIONS', 500),
    stepTimeoutMs: atLeastOne(env, 'STEP_TIMEOUT_MS', 60_000),
    timerPollMs: env.TIMER_POLL_MS !== undefined && /^\d+$/.test(env.TIMER_POLL_MS) ? Number(env.TIMER_POLL_MS) : 1000,
    database: path.resolve(cwd, env.DB_FILE ?? path.join(dataDir, 'reglament.sqlite')),
    processesDir: path.resolve(cwd, env.PROCESSES_DIR ?? 'processes'),
    usersFile: env.USERS_FILE ? path.resolve(cwd, env.USERS_FILE) : undefined,
    dataDir,
    calendarFile: env.CALENDAR_FILE ? path.resolve(cwd, env.CALENDAR_FILE) : undefined,
    publicUrl: publicUrl(env.PUBLIC_URL),
    authFailureLimit: positiveInt(env, 'AUTH_FAILURE_LIMIT', DEFAULT_AUTH_FAILURE_LIMIT),
    authFailureWindowMs: Math.max(1000, positiveInt(env, 'AUTH_FAILURE_WINDOW_MS', DEFAULT_AUTH_FAILURE_WINDOW_MS)),
    atRiskShare: shareOfLimit(env, 'AT_RISK_SHARE', DEFAULT_AT_RISK_SHARE),
    sessionMaxAgeMs: atLeastOne(env, 'SESSION_MAX_AGE_MS', 12 * 3600_000),
    sessionIdleMs: atLeastOne(env, 'SESSION_IDLE_MS', 2 * 3600_000),
    attachmentMaxBytes: atLeastOne(env, 'ATTACHMENT_MAX_BYTES', 20 * 1024 * 1024),
    ncalayerUrl: ncalayerUrl(env.NCALAYER_URL),
    logLevel: logLevel(env.LOG_LEVEL),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPort: metricsPort(env.METRICS_PORT),
    metricsCacheMs: positiveInt(env, 'METRICS_CACHE_MS', 5000),
    shutdownTimeoutMs: positiveInt(env, 'SHUTDOWN_TIMEOUT_MS', 30_000),
    externalTaskTopics: externalTaskTopics(env.EXTERNAL_TASK_TOPICS),
    externalSystems: {
      urls: systemUrlsFromEnv(env),
      timeoutMs: positiveInt(env, 'EXTERNAL_TIMEOUT_MS', 5000),
      attempts: Math.max(1, positiveInt(env, 'EXTERNAL_ATTEMPTS', 3)),
      backoffMs: positiveInt(env, 'EXTERNAL_BACKOFF_MS', 200),
      trustedRootsFile: env.TRUSTED_ROOTS_FILE ? path.resolve(cwd, env.TRUSTED_ROOTS_FILE) : undefined,
      providerKeyFile: env.PROVIDER_KEY_FILE ? path.resolve(cwd, env.PROVIDER_KEY_FILE) : undefined,
      providerCertFile: env.PROVIDER_CERT_FILE ? path.resolve(cwd, env.PROVIDER_CERT_FILE) : undefined,
      shep: shepSettingsFromEnv(env),
    },
  };
}

/** A WebSocket URL (ws: or wss:), or NCALayer's default. */
function ncalayerUrl(value: string | undefined): string {
  if (value === undefined || value === '') return 'wss://127.0.0.1:13579/';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`NCALAYER_URL must be a ws:// or wss:// URL, got "${value}"`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`NCALAYER_URL must be a ws:// or wss:// URL, got "${value}"`);
  return url.toString();
}
