import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import type { StoredSimulator } from '../../../engine/simulate/blackbox/fingerprint.js';
import { expectSamePosterior, tempDir } from './helpers.js';

/**
 * A black-box (JS module) SMC-ABC run stored in a project, killed after
 * generation 1, resumed from another folder: the stored simulator (absolute
 * path + SHA-256) is used, a changed module refuses the resume, and the
 * resumed posterior is bit-identical to an uninterrupted run's.
 */
const run = promisify(execFile);
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
const work = tempDir('sciope-bb-resume-');
const elsewhere = join(work, 'elsewhere');
mkdirSync(elsewhere);

// Deterministic in (parameters, seed, time); spins ~0.3 ms per simulation so that the run lasts long enough to be killed mid-way.
const MODULE = `export function simulate({ parameters, seed, time }) {
  const until = performance.now() + 0.3;
  while (performance.now() < until);
  let state = seed >>> 0 || 1;
  const uniform = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 4294967296; };
  return { species: ['A'], data: [Array.from(time, (t) => parameters.a0 * Math.exp(-parameters.k * t) * (1 + 0.2 * (uniform() - 0.5)))] };
}
`;
writeFileSync(join(work, 'sim.mjs'), MODULE);
const times = Array.from({ length: 11 }, (_, i) => i * 0.5);
writeFileSync(join(work, 'observed.csv'), ['time,A', ...times.map((t) => `${t},${100 * Math.exp(-0.4 * t)}`)].join('\n') + '\n');
const maxGenerations = 6;
writeFileSync(
  join(work, 'study.json'),
  JSON.stringify({
    name: 'decay-module',
    model: {
      simulator: {
        kind: 'module',
        path: 'sim.mjs',
        parameters: [
          { id: 'k', value: 0.5 },
          { id: 'a0', value: 100 },
        ],
        species: ['A'],
      },
    },
    observed: 'observed.csv',
    priors: { k: { kind: 'uniform', lower: 0.05, upper: 1.5 } },
    summaries: { kind: 'identity' },
    algorithm: { kind: 'smcAbc', populationSize: 120, maxGenerations },
    seed: 77,
  }),
);

const configHome = mkdtempSync(join(tmpdir(), 'sciope-trust-config-'));

async function sciope(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd, env: { ...process.env, XDG_CONFIG_HOME: configHome } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function storedGenerations(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT max(idx) AS last FROM generations').get() as { last: number | null }).last ?? -1;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  }
}

describe('resuming a black-box simulator run', () => {
  it('killed after generation 1, refused while the module differs, then resumed elsewhere to the bit-identical posterior', async () => {
    const killed = join(work, 'killed.sciope');
    // The study's author approves its module once (README, Security); the project file is another scope.
    expect((await sciope(work, 'trust', 'approve', '--yes', 'study.json')).code).toBe(0);
    const child = spawn(process.execPath, [bin, 'infer', 'study.json', '--project', killed, '-q', '-w', '2'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: configHome },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let last = -1;
    const deadline = Date.now() + 30_000;
    while (last < 1 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 5));
      last = storedGenerations(killed);
    }
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toBe('');
    const afterKill = storedGenerations(killed);
    expect(afterKill).toBeGreaterThanOrEqual(1);
    expect(afterKill).toBeLessThan(maxGenerations - 1);

    // The run stored its simulator: absolute path and the module's hash.
    const store = ProjectStore.open(killed, { readonly: true });
    const stored = (store.getRun(1)!.options as { simulator: StoredSimulator }).simulator;
    store.close();
    expect(stored.spec).toMatchObject({ kind: 'module', path: join(work, 'sim.mjs') });
    expect(stored.files).toEqual([{ path: join(work, 'sim.mjs'), role: 'module', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);

    // A changed module refuses the resume, naming the file; the run stays resumable.
    appendFileSync(join(work, 'sim.mjs'), '// edited\n');
    const refused = await sciope(elsewhere, 'resume', '--project', killed, '1');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`run 1: the simulator's module ${join(work, 'sim.mjs')} changed since the run started`);
    writeFileSync(join(work, 'sim.mjs'), MODULE);

    // Resumed from another folder: the stored absolute path is used. The project is a new scope: approved with --trust.
    const unapproved = await sciope(elsewhere, 'resume', '--project', killed, '1', '-w', '2');
    expect(unapproved.code).toBe(2);
    expect(unapproved.stderr).toContain('has not been approved on this computer; nothing was run');
    const resumed = await sciope(elsewhere, 'resume', '--trust', '--project', killed, '1', '-w', '2');
    expect(resumed.stderr).toMatch(/^sciope: approved \(--trust\):\n {2}From: .*killed\.sciope\n {2}Imports the JavaScript module: .*sim\.mjs/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`run 1: resumed after ${afterKill + 1} stored generations; completed with ${maxGenerations} generations`);

    const whole = join(work, 'whole.sciope');
    const uninterrupted = await sciope(work, 'infer', 'study.json', '--project', whole, '-q', '-w', '3');
    expect(uninterrupted.code).toBe(0);
    const a = ProjectStore.open(killed);
    const b = ProjectStore.open(whole);
    try {
      expect(a.getRun(1)).toMatchObject({ status: 'completed', seed: 77 });
      expectSamePosterior(a.loadPosterior(1), b.loadPosterior(1));
    } finally {
      a.close();
      b.close();
    }
  });
});
