import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../engine/api/EngineService.js';
import { sciope } from '../cli/runSciope.js';

/**
 * Issue #13, finding 2: a path with a NUL passed the existence check while
 * SQLite opened the path cut at the NUL, turning another program's database
 * into a Sciope project. Every path the EngineApi takes is refused before
 * any file call when it holds a control character, and the foreign file is
 * left byte for byte as it was.
 */
const work = mkdtempSync(join(tmpdir(), 'sciope-paths-'));
const foreign = join(work, 'places.sqlite');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
let before = '';

beforeAll(() => {
  // Another program's database, in rollback-journal mode, with its own table.
  const db = new Database(foreign);
  db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org');");
  db.close();
  before = hash(foreign);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('paths with control characters', () => {
  let service: EngineService;
  beforeAll(() => {
    service = new EngineService({ configDir: join(work, 'config'), workers: 1, log: () => {} });
  });
  afterAll(() => service.close());

  it.each([
    ['NUL', `${foreign}\u0000`],
    ['NUL before a suffix', `${foreign}\u0000.sciope`],
    ['line break', `${join(work, 'a')}\nb.sciope`],
    ['escape', `${join(work, 'a')}\u001b[2J.sciope`],
    ['C1 control', `${join(work, 'a')}\u0085.sciope`],
  ])('projects.create and projects.open refuse a path with a %s, and touch nothing', async (_what, path) => {
    for (const method of ['projects.create', 'projects.open']) {
      const outcome = await service.invoke(method, { path });
      expect(outcome, method).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', details: { issues: [{ path: 'path', message: expect.stringContaining('control character') }] } },
      });
    }
    expect(hash(foreign)).toBe(before);
    expect(existsSync(`${foreign}-wal`) || existsSync(`${foreign}-shm`) || existsSync(`${foreign}-journal`)).toBe(false);
    // The engine carries on: nothing half-open, nothing in the recent list.
    expect(await service.call('app.info')).toMatchObject({ project: null });
    expect(await service.call('projects.recent')).toEqual([]);
  });

  it('refuses a simulator whose module path or folder holds a NUL', async () => {
    await service.call('projects.create', { path: join(work, 'ok.sciope') });
    const module = await service.invoke('models.addSimulator', {
      name: 'x',
      simulator: { kind: 'module', path: `${foreign}\u0000.mjs`, parameters: [], species: ['X'] },
    });
    expect(module).toMatchObject({ ok: false, error: { code: 'BLACKBOX_SPEC', message: expect.stringContaining('control character') } });
    const command = await service.invoke('models.addSimulator', {
      name: 'x',
      simulator: { kind: 'command', command: ['sh', 'sim\u0000.sh'], cwd: work, parameters: [], species: ['X'] },
    });
    expect(command).toMatchObject({ ok: false, error: { code: 'BLACKBOX_SPEC' } });
  });

  it('`sciope api` answers a NUL path with a structured error and exit code 2, no stack', async () => {
    const result = await sciope('api', 'projects.create', JSON.stringify({ path: `${foreign}\u0000` }));
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('control character');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(hash(foreign)).toBe(before);
  });
});
