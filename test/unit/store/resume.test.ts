import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { getExample } from '../../../engine/model/index.js';
import type { ReactionNetworkInput } from '../../../engine/model/schema.js';
import { parseObservedCsv, parseStudy, runStudy, type Generation, type Posterior } from '../../../engine/infer/index.js';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { expectSamePosterior, tempDir } from './helpers.js';

const run = promisify(execFile);
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
const studyDir = new URL('../../../resources/studies/toggle-switch/', import.meta.url).pathname;
const work = tempDir('sciope-resume-');
const observedText = readFileSync(join(studyDir, 'observed.csv'), 'utf8');
writeFileSync(join(work, 'observed.csv'), observedText);

/** The toggle-switch study, made small enough for a unit test. */
function studyJson(algorithm: Record<string, unknown>): Record<string, unknown> {
  const study = JSON.parse(readFileSync(join(studyDir, 'study.json'), 'utf8')) as Record<string, unknown>;
  return { ...study, simulation: { method: 'ssa', runsPerTrial: 2 }, algorithm };
}

async function sciope(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: work });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.each([
  { kind: 'smcAbc', algorithm: { kind: 'smcAbc', populationSize: 60, maxGenerations: 5 } },
  { kind: 'smcAbc with a local-covariance kernel', algorithm: { kind: 'smcAbc', populationSize: 60, maxGenerations: 4, kernel: { kind: 'localCovariance' } } },
  { kind: 'replenishmentSmcAbc', algorithm: { kind: 'replenishmentSmcAbc', populationSize: 40, maxGenerations: 5, rTrial: 2 } },
])('runStudy resumeFrom ($kind)', ({ algorithm }) => {
  it('continues from every stored generation to the bit-identical posterior', async () => {
    const study = parseStudy(studyJson(algorithm), join(work, 'study.json'));
    const model = getExample('toggle-switch') as ReactionNetworkInput;
    const observed = parseObservedCsv(observedText, { species: study.species });
    const stored: Generation[] = [];
    const full = await runStudy(study, model, observed, { seed: 11, onGeneration: (g) => void stored.push(g) });
    expect(stored).toHaveLength(full.generations.length);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < stored.length; k++) {
      const added: Generation[] = [];
      const resumed: Posterior = await runStudy(study, model, observed, {
        seed: 11,
        resumeFrom: { generations: stored.slice(0, k) },
        onGeneration: (g) => void added.push(g),
      });
      expectSamePosterior(resumed, full);
      expect(added.map((g) => g.index)).toEqual(stored.slice(k).map((g) => g.index));
    }
  });
});

/** Largest stored generation index of the project's first run, read without disturbing the writer (-1: none yet). */
function storedGenerations(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT max(idx) AS last FROM generations').get() as { last: number | null };
      return row.last ?? -1;
    } finally {
      db.close();
    }
  } catch {
    return -1; // not created or not migrated yet
  }
}

describe('sciope infer --project, SIGKILL, sciope resume', () => {
  it('a run killed after generation 2 resumes to the bit-identical posterior of an uninterrupted run', async () => {
    const maxGenerations = 7;
    writeFileSync(join(work, 'study.json'), JSON.stringify(studyJson({ kind: 'smcAbc', populationSize: 150, maxGenerations })));
    const killed = join(work, 'killed.sciope');
    const child = spawn(process.execPath, [bin, 'infer', 'study.json', '--project', killed, '-q', '-w', '2'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let last = -1;
    const deadline = Date.now() + 60_000;
    while (last < 2 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 10));
      last = storedGenerations(killed);
    }
    child.kill('SIGKILL');
    await exited;
    expect(stderr).toBe('');
    expect(last).toBeGreaterThanOrEqual(2);
    const afterKill = storedGenerations(killed);
    expect(afterKill).toBeLessThan(maxGenerations - 1); // killed mid-run, not after it finished

    // Reopening marks the run interrupted; resume continues it.
    const runs = await sciope('project', 'runs', killed);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(/^1\s+toggle-switch\s+smcAbc\s+2020\s+interrupted/m);
    const resumed = await sciope('resume', '--project', killed, '1', '-w', '2');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(
      `run 1: resumed after ${afterKill + 1} stored generations; completed with ${maxGenerations} generations, stopped: maxGenerations`,
    );

    // The same study, uninterrupted, in another project.
    const whole = join(work, 'whole.sciope');
    const uninterrupted = await sciope('infer', 'study.json', '--project', whole, '-q', '-w', '3');
    expect(uninterrupted.code).toBe(0);

    const a = ProjectStore.open(killed);
    const b = ProjectStore.open(whole);
    try {
      expect(a.getRun(1)).toMatchObject({ status: 'completed', seed: 2020 });
      expectSamePosterior(a.loadPosterior(1), b.loadPosterior(1));
      // Resuming a completed run is refused with a clear message.
      const again = await sciope('resume', '--project', killed, '1');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/run 1 is already completed/);
    } finally {
      a.close();
      b.close();
    }
  });
});
