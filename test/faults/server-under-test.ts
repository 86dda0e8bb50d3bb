import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
const SERVER = path.join(ROOT, 'dist/src/server.js');

/** The real server (dist/src/server.js) as a child process: started, killed with SIGKILL, started again. */
export class ServerUnderTest {
  private child?: ChildProcess;
  private url: string | null = null;
  private waiting: ((url: string) => void)[] = [];
  starts = 0;
  kills = 0;
  log: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  /** The base URL of the running server; waits while it is (re)starting. */
  current(): Promise<string> {
    if (this.url) return Promise.resolve(this.url);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
    this.child = child;
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)\/api/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => {
        output += c.toString();
        this.log.push(c.toString());
        if (this.log.length > 200) this.log.shift();
      });
      child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${output.slice(-4000)}`)));
    });
    this.starts++;
    this.url = url;
    for (const w of this.waiting.splice(0)) w(url);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.url = null;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    this.kills++;
  }

  /** The last kill, which is no fault: not counted. */
  async stop(): Promise<void> {
    await this.kill();
    this.kills--;
  }
}
