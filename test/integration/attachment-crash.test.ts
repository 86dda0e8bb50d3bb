import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { openDatabase } from '../../src/persistence/data-source';
import { SqlAttachmentStore } from '../../src/persistence/attachment-store';
import { SAMPLE_PDF, uploadAttachment } from '../support/attachment-files';
import { callApi, tempDir, tokenOf, writeUsersFile } from '../support/test-host';

/*
 * The real server (the compiled dist/ that `npm test` builds first) killed with SIGKILL while a
 * document is being uploaded: after the restart there is no row and no bytes of the cut upload, no
 * stray file in the data folder, and the attachment committed before is intact.
 */
const serverScript = path.resolve(__dirname, '../../dist/src/server.js');

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverScript], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/api/.exec(output);
      if (match) resolve({ child, url: match[1] });
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Starts a multipart upload and sends `bytes` of the file, then stalls (the request never ends); resolves once they are written. */
function stalledUpload(url: string, taskId: string, bytes: number): Promise<{ request: http.ClientRequest; answered: () => boolean }> {
  const boundary = 'crash-boundary';
  const request = http.request(`${url}/api/tasks/${taskId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokenOf('olga-office')}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
  });
  request.on('error', () => undefined);
  let answered = false;
  request.on('response', () => (answered = true));
  request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
  request.write(SAMPLE_PDF);
  return new Promise((resolve) => {
    let sent = 0;
    const more = () => {
      while (sent < bytes) {
        sent += 64 * 1024;
        if (!request.write(Buffer.alloc(64 * 1024, 0x20))) return void request.once('drain', more);
      }
      resolve({ request, answered: () => answered });
    };
    more();
  });
}

describe('SIGKILL during an upload', () => {
  const dir = tempDir();
  const env = {
    DB_FILE: path.join(dir, 'attachments.sqlite'),
    USERS_FILE: writeUsersFile(dir),
    PROCESSES_DIR: path.resolve(__dirname, '../../processes'),
    DATA_DIR: dir,
    PORT: '0',
  };

  it('leaves no orphan row, bytes or file, and keeps the attachment committed before', async () => {
    let server = await startServer(env);
    try {
      const call = (user: string, method: string, route: string, body?: unknown) => callApi(server.url, user, method, route, body);
      const started = await call('olga-office', 'POST', '/process-definitions/cotton-warehouse-license/start', {
        businessKey: 'CRASH-ATTACH-1',
        variables: { variant: 'duplicate', resultForm: 'electronic', applicantName: 'ЖШС Тест', applicantIinBin: '990101300122' },
      });
      expect(started.status).toBe(201);
      const instanceId = started.body.id;
      const task = (await call('olga-office', 'GET', `/tasks?processInstanceId=${instanceId}`)).body.items[0];
      expect((await call('olga-office', 'POST', `/tasks/${task.id}/claim`)).status).toBe(200);
      const kept = await uploadAttachment(server.url, 'olga-office', task.id, { name: 'kept.pdf', type: 'application/pdf', content: SAMPLE_PDF });
      expect(kept.status).toBe(201);
      const filesBefore = fs.readdirSync(dir).sort();

      // 3 MB of a file in flight, the request not finished: the server is reading it when it dies.
      const cut = await stalledUpload(server.url, task.id, 3 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Still reading it: no answer yet (a refusal would have answered at once).
      expect(cut.answered()).toBe(false);
      await kill(server.child);
      cut.request.destroy();

      server = await startServer(env);
      const listed = (await call('admin', 'GET', `/process-instances/${instanceId}/attachments`)).body as { id: string; name: string; sha256: string }[];
      expect(listed.map((a) => a.name)).toEqual(['kept.pdf']);
      const download = await fetch(`${server.url}/api/attachments/${kept.body.id}/content`, { headers: { authorization: `Bearer ${tokenOf('admin')}` } });
      expect(Buffer.from(await download.arrayBuffer()).equals(SAMPLE_PDF)).toBe(true);
      const history = ((await call('admin', 'GET', `/process-instances/${instanceId}/history`)).body as { type: string }[]).filter((e) => e.type === 'attachment-added');
      expect(history).toHaveLength(1);

      // The database itself: one row and one content, nothing half-written.
      const dataSource = await openDatabase({ sqliteFile: env.DB_FILE });
      try {
        expect(await new SqlAttachmentStore(dataSource).counts()).toEqual({ rows: 1, contents: 1 });
      } finally {
        await dataSource.destroy();
      }
      // No file was left beside the database (the bytes never go to a file).
      expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);

      // The same upload after the restart goes through: the task is still open and held.
      const again = await uploadAttachment(server.url, 'olga-office', task.id, { name: 'again.pdf', type: 'application/pdf', content: SAMPLE_PDF });
      expect(again.status).toBe(201);
    } finally {
      await kill(server.child);
    }
  });
});
