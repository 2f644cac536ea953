import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProjectFileError } from '../../../engine/errors/index.js';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { fakeGeneration, tempDir } from './helpers.js';

const root = new URL('../../../', import.meta.url).pathname;

/** Another process that opens the project with better-sqlite3 and holds the write lock until its stdin closes. */
function lockHolder(path: string): Promise<ChildProcessByStdio<Writable, Readable, null>> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO settings (key, value) VALUES ('other', '1')").run();
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

describe('two processes on one project', () => {
  it('readers work while another process writes; a second writer gets a clear "in use" error after the busy timeout', async () => {
    const path = join(tempDir(), 'shared.sciope');
    const setup = ProjectStore.open(path, { create: true });
    const studyId = setup.addStudy({ name: 's', source: 's.json', config: {} });
    const runId = setup.createRun({ studyId, algorithm: 'smcAbc', seed: 1, parameterNames: ['a', 'b'] });
    setup.addGeneration(runId, fakeGeneration(0, 10, 2, 3));
    setup.close();

    const child = await lockHolder(path);
    try {
      const store = ProjectStore.open(path, { busyTimeoutMs: 200 });
      // Reads see the last committed state (WAL: the writer does not block them).
      expect(store.listGenerations(runId)).toHaveLength(1);
      expect(store.getSetting('other')).toBeUndefined();
      const started = Date.now();
      let error: unknown;
      try {
        store.addGeneration(runId, fakeGeneration(1, 10, 2, 3));
      } catch (e) {
        error = e;
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(error).toBeInstanceOf(ProjectFileError);
      expect((error as ProjectFileError).reason).toBe('in-use');
      expect((error as Error).message).toMatch(/in use by another process/);
      expect(store.listGenerations(runId)).toHaveLength(1);
      // Once the other process commits, this one writes and sees its change.
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
      store.addGeneration(runId, fakeGeneration(1, 10, 2, 3));
      expect(store.listGenerations(runId)).toHaveLength(2);
      expect(store.getSetting('other')).toBe(1);
      store.close();
    } finally {
      child.kill();
    }
    const check = ProjectStore.open(path);
    expect(check.db.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
