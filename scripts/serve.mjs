#!/usr/bin/env node
/*
 * `npm run serve`: install, build and start the server, each only when needed. Plain JavaScript
 * (an ES module), run by Node before anything is installed or compiled (so no TypeScript here).
 *
 * - install (`npm ci`) only when node_modules is missing or package-lock.json is newer than npm's
 *   own record of the last install (node_modules/.package-lock.json);
 * - compile the server (`tsc`) only when a TypeScript source or the compiler's settings are newer
 *   than dist/src/server.js, and build the web app (`vite build`) only when src/web or the Vite
 *   settings are newer than dist-web/index.html (a fresh install rebuilds both);
 * - then start dist/src/server.js, which prints the web app's address to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(ROOT, ...parts);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** The newest modification time of the files under a folder (0 when it does not exist). */
function newest(dir, skip = () => false) {
  let latest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (skip(full)) continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(full, skip) : mtime(full));
  }
  return latest;
}

function run(what, command, args) {
  console.log(`serve: ${what}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`serve: ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const installedAt = mtime(at('node_modules', '.package-lock.json'));
const installed = fs.existsSync(at('node_modules')) && installedAt > 0 && installedAt >= mtime(at('package-lock.json'));
if (installed) console.log('serve: dependencies are installed and package-lock.json has not changed since: no install');
else run('installing what package-lock.json pins', npm, ['ci']);

const webDir = at('src', 'web');
const serverSources = Math.max(
  newest(at('src'), (file) => file === webDir),
  newest(at('scripts')),
  newest(at('test')),
  mtime(at('tsconfig.json')),
  mtime(at('node_modules', '.package-lock.json')),
);
if (mtime(at('dist', 'src', 'server.js')) >= serverSources) console.log('serve: the server is built and no source changed since: no compile');
else run('compiling the server', process.execPath, [at('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);

const webSources = Math.max(newest(webDir), mtime(at('vite.config.ts')), mtime(at('node_modules', '.package-lock.json')));
if (mtime(at('dist-web', 'index.html')) >= webSources) console.log('serve: the web app is built and no source changed since: no build');
else run('building the web app', process.execPath, [at('node_modules', 'vite', 'bin', 'vite.js'), 'build']);

// The server runs as a child whose exit code is ours. Ctrl+C reaches it from the terminal directly (same
// process group), so this process only waits for it; a SIGTERM sent to this process is passed on.
const server = spawn(process.execPath, [at('dist', 'src', 'server.js')], { cwd: ROOT, stdio: 'inherit' });
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => server.kill('SIGTERM'));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
