import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { CLI_CONFIG_HOME, sciope } from './runSciope.js';

/**
 * `sciope infer` and `sciope resume` run through the EngineService (the
 * app's RunManager keeps the run's books): with or without --project the
 * posterior is the same for a seed, the project holds the run as the app
 * would store it, and Ctrl-C cancels through the API (exit 130, the run
 * stored as cancelled).
 */
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'bin/sciope.js');
const dir = mkdtempSync(join(tmpdir(), 'sciope-infer-engine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeStudy(name: string, algorithm: Record<string, unknown>): string {
  for (const f of ['study.json', 'observed.csv']) copyFileSync(join(root, 'resources/studies/toggle-switch', f), join(dir, f));
  const base = JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'));
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      ...base,
      seed: undefined,
      summaries: { kind: 'time-series-features', set: 'minimal' },
      simulation: { method: 'ssa', runsPerTrial: 1 },
      algorithm,
    }),
  );
  return path;
}

describe('sciope infer through the EngineService', () => {
  it('gives the same posterior with and without a project, and stores the run with its seed', async () => {
    const study = writeStudy('small.json', { kind: 'smcAbc', populationSize: 40, maxGenerations: 2 });
    const project = join(dir, 'p.sciope');
    const withProject = await sciope('infer', study, '--seed', '11', '--project', project, '--out', join(dir, 'a.csv'), '--workers', '1');
    expect(withProject.stderr).toBe('run 1 stored in ' + project + '\n');
    expect(withProject.code).toBe(0);
    expect(withProject.stdout).toMatch(/^toggle-switch: smcAbc, seed 11, 2 generations, [\d,]+ simulations, stopped: maxGenerations$/m);
    const without = await sciope('infer', study, '--seed', '11', '--out', join(dir, 'b.csv'), '--workers', '1', '-q');
    expect(without).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, 'b.csv'), 'utf8')).toBe(readFileSync(join(dir, 'a.csv'), 'utf8'));
    // The app's recent-project list (the user's settings) is not touched by the CLI's engine.
    expect(existsSync(join(CLI_CONFIG_HOME, 'sciope', 'settings.json'))).toBe(false);

    // No --seed and none in the study: the engine's default seed, stored with the run and printed.
    const unseeded = await sciope('infer', study, '--project', project, '--workers', '1');
    expect(unseeded.code).toBe(0);
    const store = ProjectStore.open(project, { readonly: true });
    try {
      const runs = store.listRuns();
      expect(runs.map((r) => [r.id, r.status])).toEqual([
        [1, 'completed'],
        [2, 'completed'],
      ]);
      expect(runs[0].seed).toBe(11);
      expect(unseeded.stdout).toContain(`seed ${runs[1].seed},`);
      expect(runs[1].seed).toBeLessThan(2 ** 31);
      // Both runs share the stored study, model and observed data.
      expect(store.listStudies()).toHaveLength(1);
    } finally {
      store.close();
    }
  }, 180_000);

  it('cancels on Ctrl-C through the API: exit 130, the run stored as cancelled', async () => {
    const study = writeStudy('long.json', { kind: 'smcAbc', populationSize: 60, maxGenerations: 200, epsilonTarget: 0 });
    const project = join(dir, 'cancel.sciope');
    const child = spawn(process.execPath, [bin, 'infer', study, '--project', project, '-q', '--workers', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, XDG_CONFIG_HOME: CLI_CONFIG_HOME },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the run has stored its first generation, then press Ctrl-C.
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`no generation stored in time; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 250));
      if (!existsSync(project)) continue;
      const store = ProjectStore.open(project, { readonly: true });
      const stored = store.listRuns().length > 0 ? store.listGenerations(1).length : 0;
      store.close();
      if (stored > 0) break;
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('sciope: toggle-switch: cancelled (interrupted)\n');
    const store = ProjectStore.open(project, { readonly: true });
    try {
      expect(store.getRun(1)).toMatchObject({ status: 'cancelled' });
    } finally {
      store.close();
    }
  }, 180_000);
});
