import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ProjectFileError } from '../../../engine/errors/index.js';
import { getExample } from '../../../engine/model/index.js';
import { PathTextError } from '../../../engine/paths/index.js';
import { ProjectStore, RunBusyError, SCHEMA_VERSION } from '../../../engine/store/index.js';
import { sciope } from '../cli/runSciope.js';

/**
 * Issue #13, the project store and `sciope project`: hostile paths and files
 * are refused before SQLite writes anything to them, reads leave no -wal or
 * -shm behind, creating a project is all or nothing, and two processes never
 * resume one run at once.
 *
 * Faults in creating a project are injected here by wrapping node:fs's
 * linkSync (the step that gives the new project its name); a full disk is a
 * real 64 KiB tmpfs when this runs as root, and a crash mid-creation is a
 * child process killed by its file-size limit (SIGXFSZ), which runs anywhere.
 */
const faults = vi.hoisted(() => ({ link: null as null | ((from: string, to: string) => void), realLink: null as null | ((from: string, to: string) => void) }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  faults.realLink = fs.linkSync;
  const linkSync = (from: string, to: string) => (faults.link ? faults.link(from, to) : fs.linkSync(from, to));
  return { ...fs, linkSync, default: { ...fs, linkSync } };
});

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'bin/sciope.js');
const isRoot = process.getuid?.() === 0;
const work = mkdtempSync(join(tmpdir(), 'sciope-store-hostile-'));
let folders = 0;
const folder = () => {
  const dir = join(work, `case${++folders}`);
  mkdirSync(dir);
  return dir;
};

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What "left unchanged" means: the file's bytes and mtime, and the names in its folder (no -wal, -shm, -journal, temporaries). */
function fingerprint(path: string) {
  const stats = statSync(path);
  const bytes = stats.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
  return { bytes, mtimeMs: stats.mtimeMs, folder: readdirSync(dirname(path)).sort() };
}

function refusal(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

/** Another program's SQLite database, as the issue found it (Firefox's places.sqlite). */
function foreignDatabase(path: string, journal: 'delete' | 'wal' = 'delete'): string {
  const db = new Database(path);
  db.pragma(`journal_mode = ${journal}`);
  db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org');");
  db.close();
  return path;
}

/** Another program's database in WAL mode whose writer was killed: its -wal and -shm stay beside it (and hold its table). */
function foreignDatabaseWithLiveWal(path: string): void {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(path)}); db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org')");
    process.kill(process.pid, 'SIGKILL');`;
  spawnSync(process.execPath, ['-e', script], { cwd: root });
  expect(existsSync(`${path}-wal`) && existsSync(`${path}-shm`)).toBe(true);
}

/** A project with one model, the toggle switch study and one run, interrupted before its first generation. */
function projectWithInterruptedRun(path: string, algorithm: Record<string, unknown> = { kind: 'smcAbc', populationSize: 60, maxGenerations: 3 }): number {
  const studyDir = join(root, 'resources/studies/toggle-switch');
  const config = { ...JSON.parse(readFileSync(join(studyDir, 'study.json'), 'utf8')), simulation: { method: 'ssa', runsPerTrial: 1 }, algorithm };
  const studyFile = join(dirname(path), 'study.json');
  writeFileSync(studyFile, JSON.stringify(config));
  const store = ProjectStore.open(path, { create: true });
  try {
    const modelId = store.addModel({ name: 'toggle-switch', format: 'example', source: 'toggle-switch', parsed: getExample('toggle-switch') });
    const observedId = store.addObserved({ name: 'observed.csv', source: readFileSync(join(studyDir, 'observed.csv'), 'utf8'), species: ['U', 'V'] });
    const studyId = store.addStudy({ name: 'toggle-switch', source: studyFile, config, modelId, observedId });
    const runId = store.createRun({ studyId, algorithm: 'smcAbc', seed: 2020, parameterNames: Object.keys(config.priors) });
    store.endRun(runId, 'interrupted', 'stopped before its first generation');
    return runId;
  } finally {
    store.close();
  }
}

/** Generations stored for a run: contiguous from 0, each with all its particles, or the test fails. */
function expectWholeRun(path: string, runId: number, populationSize: number): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const generations = db
      .prepare(
        'SELECT idx, count, (SELECT count(*) FROM particles p WHERE p.run_id = g.run_id AND p.generation = g.idx) AS stored FROM generations g WHERE run_id = ? ORDER BY idx',
      )
      .all(runId) as Array<{ idx: number; count: number; stored: number }>;
    expect(generations.length).toBeGreaterThan(0);
    generations.forEach((g, i) => expect(g).toEqual({ idx: i, count: populationSize, stored: populationSize }));
    return generations.length;
  } finally {
    db.close();
  }
}

describe('paths with control characters', () => {
  it.each([
    ['a NUL', (foreign: string) => `${foreign}\u0000`],
    ['a NUL before a suffix', (foreign: string) => `${foreign}\u0000.sciope`],
    ['a line break', (foreign: string) => `${foreign}\n.sciope`],
    ['an escape sequence', (foreign: string) => `${foreign}\u001b[2J`],
    ['a C1 control', (foreign: string) => `${foreign}\u0085`],
  ])('ProjectStore.open refuses a path with %s before any file call: the database it names is not touched', (_what, hostile) => {
    const foreign = foreignDatabase(join(folder(), 'places.sqlite'));
    const before = fingerprint(foreign);
    for (const options of [{ create: true }, { create: true, exclusive: true }, {}, { readonly: true }]) {
      const error = refusal(() => ProjectStore.open(hostile(foreign), options));
      expect(error).toBeInstanceOf(PathTextError);
      expect(error.message).toMatch(/^project file: the path contains a control character \(U\+00(00|0A|1B|85) at character \d+\)/);
    }
    expect(fingerprint(foreign)).toEqual(before);
  });

  it('sciope project new refuses a file name with an escape sequence and creates nothing (exit 2, no stack)', async () => {
    const dir = folder();
    const result = await sciope('project', 'new', join(dir, 'x\u001b[31m.sciope'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/control character \(U\+001B/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('files that are not Sciope projects are refused and left byte for byte as they were', () => {
  const cases: Array<[string, (path: string) => void, string, RegExp]> = [
    ["another program's SQLite database", (p) => void foreignDatabase(p), 'not-a-project', /application id 0, expected 1396918607\); it was left unchanged/],
    ["another program's SQLite database in WAL mode", (p) => void foreignDatabase(p, 'wal'), 'not-a-project', /application id 0/],
    [
      "another program's database with a -wal of a killed writer (read through the -wal, read-only)",
      foreignDatabaseWithLiveWal,
      'not-a-project',
      /application id 0/,
    ],
    ['a 0-byte file', (p) => writeFileSync(p, ''), 'not-a-project', /the file is empty \(0 bytes\)/],
    [
      'random bytes',
      (p) => writeFileSync(p, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256))),
      'not-a-project',
      /not an SQLite database/,
    ],
    ['a text file that starts like SQLite', (p) => writeFileSync(p, 'SQLite format 3'), 'not-a-project', /not an SQLite database/],
    [
      'a project of a newer schema',
      (p) => {
        ProjectStore.open(p, { create: true }).close();
        const db = new Database(p);
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
      },
      'newer-version',
      new RegExp(`schema version ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}`),
    ],
    ['a named pipe (reading it would block)', (p) => void spawnSync('mkfifo', [p]), 'not-a-project', /not a regular file/],
    ['a folder', (p) => mkdirSync(p), 'not-a-project', /is a directory/],
  ];

  it.each(cases)('%s: open, create and read-only open refuse it; no -wal, -shm or journal appears', (_what, make, reason, message) => {
    const path = join(folder(), 'file.sciope');
    make(path);
    const before = fingerprint(path);
    for (const options of [{}, { create: true }, { readonly: true }]) {
      const error = refusal(() => ProjectStore.open(path, options));
      expect(error, JSON.stringify(options)).toBeInstanceOf(ProjectFileError);
      expect((error as ProjectFileError).reason).toBe(reason);
      expect(error.message).toMatch(message);
    }
    // `sciope project new`: whatever is there, the name is taken.
    expect((refusal(() => ProjectStore.open(path, { create: true, exclusive: true })) as ProjectFileError).reason).toBe('exists');
    expect(fingerprint(path)).toEqual(before);
  });

  it("sciope project info, runs and new on another program's database: exit 2, a precise message, the file unchanged", async () => {
    const foreign = foreignDatabase(join(folder(), 'places.sqlite'));
    const before = fingerprint(foreign);
    for (const args of [
      ['info', foreign],
      ['runs', foreign],
      ['new', foreign],
      ['export', foreign, '1', '-o', join(dirname(foreign), 'out.csv')],
    ]) {
      const result = await sciope('project', ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(args[0] === 'new' ? /the file already exists/ : /not a Sciope project \(an SQLite database with application id 0/);
      expect(result.stderr).not.toMatch(/\n\s+at |SqliteError/);
    }
    expect(fingerprint(foreign)).toEqual(before);
  });
});

describe('reading a project leaves nothing behind', () => {
  function projectWithData(path: string): void {
    const store = ProjectStore.open(path, { create: true });
    store.addModel({ name: 'm', format: 'json', source: '{}', parsed: {} });
    for (let i = 0; i < 40; i++) store.setSetting(`k${i}`, 'x'.repeat(4000));
    store.close();
  }

  it('a corrupted project: open, read-only open and `sciope project info` say "corrupted"; no -wal or -shm is left', async () => {
    const path = join(folder(), 'corrupt.sciope');
    projectWithData(path);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, 8 * 4096);
    closeSync(fd);
    const before = fingerprint(path);
    for (const options of [{}, { readonly: true }]) {
      const error = refusal(() => ProjectStore.open(path, options));
      expect((error as ProjectFileError).reason).toBe('corrupted');
    }
    const result = await sciope('project', 'info', path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/corrupt.sciope: the project file is corrupted \(.+\); restore it from a backup/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fingerprint(path)).toEqual(before);
  });

  it('a good project: `sciope project info` and `runs` read it and leave no -wal or -shm', async () => {
    const path = join(folder(), 'good.sciope');
    projectWithData(path);
    const before = fingerprint(path);
    const info = await sciope('project', 'info', path);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/models 1, observed datasets 0/);
    expect((await sciope('project', 'runs', path)).code).toBe(0);
    expect(fingerprint(path)).toEqual(before);
  });

  it.skipIf(!isRoot)('a read-only file (chattr +i: read-only even for root): info works and leaves nothing; writing is refused up front', async () => {
    const path = join(folder(), 'frozen.sciope');
    projectWithData(path);
    if (spawnSync('chattr', ['+i', path]).status !== 0) {
      console.warn('skipping: chattr +i is not supported on this file system');
      return;
    }
    try {
      const before = fingerprint(path);
      const info = await sciope('project', 'info', path);
      expect(info.code, info.stderr).toBe(0);
      expect(info.stdout).toMatch(/models 1/);
      const error = refusal(() => ProjectStore.open(path));
      expect((error as ProjectFileError).reason).toBe('read-only');
      expect(error.message).toMatch(/the project file is read-only/);
      expect(fingerprint(path)).toEqual(before);
    } finally {
      spawnSync('chattr', ['-i', path]);
    }
  });

  it('a read-only folder (a read-only bind mount as root, mode 555 otherwise): info works from memory and leaves nothing', async () => {
    const dir = folder();
    const path = join(dir, 'p.sciope');
    projectWithData(path);
    let view = dir;
    let undo: () => void;
    if (isRoot) {
      view = join(work, `readonly-view-${folders}`);
      mkdirSync(view);
      const mounted = spawnSync('mount', ['--bind', dir, view]).status === 0 && spawnSync('mount', ['-o', 'remount,bind,ro', view]).status === 0;
      undo = () => void spawnSync('umount', ['-l', view]);
      if (!mounted) {
        undo();
        console.warn('skipping: cannot make a read-only bind mount here');
        return;
      }
    } else {
      chmodSync(dir, 0o555);
      undo = () => chmodSync(dir, 0o755);
    }
    try {
      const before = fingerprint(path);
      const info = await sciope('project', 'info', join(view, 'p.sciope'));
      expect(info.code, info.stderr).toBe(0);
      expect(info.stdout).toMatch(/models 1/);
      const error = refusal(() => ProjectStore.open(join(view, 'p.sciope')));
      expect((error as ProjectFileError).reason).toBe('read-only');
      expect(error.message).toMatch(/is read-only, and SQLite keeps its write-ahead log/);
      expect(fingerprint(path)).toEqual(before);
    } finally {
      undo();
    }
  });
});

describe('creating a project is all or nothing', () => {
  it('a failure when the new file gets its name (injected ENOSPC on link) leaves no file and no temporary', () => {
    const dir = folder();
    faults.link = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, link'), { code: 'ENOSPC', syscall: 'link' });
    };
    try {
      const error = refusal(() => ProjectStore.open(join(dir, 'p.sciope'), { create: true }));
      expect((error as ProjectFileError).reason).toBe('disk-full');
      expect(error.message).toMatch(/the disk is full while creating the project; nothing was created/);
    } finally {
      faults.link = null;
    }
    expect(readdirSync(dir)).toEqual([]);
    ProjectStore.open(join(dir, 'p.sciope'), { create: true }).close();
    expect(readdirSync(dir)).toEqual(['p.sciope']);
  });

  it('a file that appears while the project is built is never replaced: `new` fails with "exists", create opens the other project', () => {
    const dir = folder();
    const path = join(dir, 'p.sciope');
    faults.link = (from, to) => {
      writeFileSync(to, 'written by another program meanwhile');
      faults.realLink!(from, to);
    };
    try {
      const error = refusal(() => ProjectStore.open(path, { create: true, exclusive: true }));
      expect((error as ProjectFileError).reason).toBe('exists');
    } finally {
      faults.link = null;
    }
    expect(readFileSync(path, 'utf8')).toBe('written by another program meanwhile');
    expect(readdirSync(dir)).toEqual(['p.sciope']);

    // Without `exclusive` (infer --project, import): another process's new project is opened, not replaced.
    const theirs = join(folder(), 'theirs.sciope');
    const other = ProjectStore.open(theirs, { create: true });
    other.setSetting('made-by', 'the other process');
    other.close();
    const mine = join(folder(), 'p.sciope');
    faults.link = (from, to) => {
      copyFileSync(theirs, to);
      faults.realLink!(from, to);
    };
    try {
      const store = ProjectStore.open(mine, { create: true });
      expect(store.getSetting('made-by')).toBe('the other process');
      store.close();
    } finally {
      faults.link = null;
    }
    expect(readdirSync(dirname(mine))).toEqual(['p.sciope']);
  });

  it('a write that fails halfway through building (file-size limit: EFBIG) leaves no file and no temporary, so `new` works again', async () => {
    const dir = folder();
    const path = join(dir, 'p.sciope');
    // 64 blocks of 512 bytes, and an empty project is 64 KiB: SQLite's writes fail halfway (Node ignores SIGXFSZ, so write() returns EFBIG).
    const child = spawn('/bin/sh', ['-c', 'ulimit -f 64 && exec "$0" "$@"', process.execPath, bin, 'project', 'new', path], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(
      /p\.sciope: cannot read or write the project file while creating the project \(disk I\/O error, SQLITE_IOERR\w*\); nothing was changed\n$/,
    );
    expect(readdirSync(dir)).toEqual([]);
    const again = await sciope('project', 'new', path);
    expect(again.code, again.stderr).toBe(0);
    expect((await sciope('project', 'info', path)).stdout).toMatch(/schema version/);
  });

  it.skipIf(!isRoot)('a full disk (a 64 KiB tmpfs, nearly full): `sciope project new` says so, exit 2, and leaves nothing', async () => {
    const mountPoint = join(work, 'tiny');
    mkdirSync(mountPoint);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status !== 0) {
      console.warn('skipping: cannot mount a tmpfs here');
      return;
    }
    try {
      writeFileSync(join(mountPoint, 'filler'), Buffer.alloc(40 * 1024, 1));
      const result = await sciope('project', 'new', join(mountPoint, 'p.sciope'));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/p\.sciope: the disk is full/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(mountPoint)).toEqual(['filler']);
    } finally {
      spawnSync('umount', ['-l', mountPoint]);
    }
  });
});

describe('one run, one writer: the run lease', () => {
  /** A live process that is not this one (a run's holder), and a way to end it. */
  function otherProcess() {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return { pid: child.pid!, stop: async () => (child.kill('SIGKILL'), await exited) };
  }

  it('is refused while a live process holds the run, taken over once it is dead, and gives the run back as it was', async () => {
    const path = join(folder(), 'lease.sciope');
    const runId = projectWithInterruptedRun(path);
    const store = ProjectStore.open(path);
    const holder = otherProcess();
    try {
      store.db.prepare("UPDATE runs SET status = 'running', host = ?, pid = ? WHERE id = ?").run(hostname(), holder.pid, runId);
      const busy = refusal(() => store.acquireRunLease(runId));
      expect(busy).toBeInstanceOf(RunBusyError);
      expect(busy.message).toMatch(
        new RegExp(`run ${runId} is being run by another process \\(pid ${holder.pid}\\); wait for it to finish or cancel it, then resume`),
      );
      expect(store.getRun(runId)).toMatchObject({ status: 'running', pid: holder.pid });

      await holder.stop();
      const lease = store.acquireRunLease(runId);
      expect(store.getRun(runId)).toMatchObject({ status: 'running', pid: process.pid, host: hostname() });
      // This process holds it now: a second resume here is refused too.
      expect(refusal(() => store.acquireRunLease(runId)).message).toMatch(/is being run by this process/);
      lease.release();
      lease.release();
      expect(store.getRun(runId)).toMatchObject({
        status: 'interrupted',
        pid: null,
        error: `the process writing the run (pid ${holder.pid}) ended without finishing it`,
      });

      // A lease given back without a result restores the run's own status.
      store.endRun(runId, 'failed', 'boom');
      store.acquireRunLease(runId).release();
      expect(store.getRun(runId)).toMatchObject({ status: 'failed', error: 'boom' });
      expect((refusal(() => store.acquireRunLease(999)) as ProjectFileError).reason).toBe('no-run');
    } finally {
      await holder.stop();
      store.close();
    }
  });

  it('`sciope resume` of a run another process holds: exit 2, the holder named, no stack, the run untouched; once the holder is dead it resumes', async () => {
    const path = join(folder(), 'held.sciope');
    const runId = projectWithInterruptedRun(path);
    const holder = otherProcess();
    try {
      const db = new Database(path);
      db.prepare("UPDATE runs SET status = 'running', host = ?, pid = ? WHERE id = ?").run(hostname(), holder.pid, runId);
      db.close();
      const refused = await sciope('resume', '--project', path, String(runId), '-q', '-w', '1');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `sciope: error: ${path}: run ${runId} is being run by another process (pid ${holder.pid}); wait for it to finish or cancel it, then resume\n`,
      );
      const check = new Database(path, { readonly: true });
      expect(check.prepare('SELECT status, pid FROM runs WHERE id = ?').get(runId)).toEqual({ status: 'running', pid: holder.pid });
      expect(check.prepare('SELECT count(*) AS n FROM generations').get()).toEqual({ n: 0 });
      check.close();
    } finally {
      await holder.stop();
    }
    const resumed = await sciope('resume', '--project', path, String(runId), '-q', '-w', '1');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(expectWholeRun(path, runId, 60)).toBe(3);
  });

  it('two `sciope resume` of one run at once: one continues it, the other gets a clear error (exit 2, no stack), and the run is whole', async () => {
    const path = join(folder(), 'race.sciope');
    const runId = projectWithInterruptedRun(path, { kind: 'smcAbc', populationSize: 60, maxGenerations: 4 });
    const [a, b] = await Promise.all([1, 2].map(() => sciope('resume', '--project', path, String(runId), '-q', '-w', '1')));
    const codes = [a.code, b.code].sort();
    expect(codes, a.stderr + b.stderr).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    // Usually they overlap; on a slow start the second finds the run already done. Either way: one line, no stack.
    expect(loser.stderr).toMatch(
      new RegExp(
        `^sciope: error: ${path}: run ${runId} (is being run by another process \\(pid \\d+\\); wait for it to finish or cancel it, then resume|is already completed; nothing to resume)\\n$`,
      ),
    );
    const store = ProjectStore.open(path, { readonly: true });
    try {
      expect(store.getRun(runId)).toMatchObject({ status: 'completed', pid: null, error: null });
    } finally {
      store.close();
    }
    expect(expectWholeRun(path, runId, 60)).toBe(4);
  });
});
