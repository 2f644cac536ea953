import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../engine/store/schema.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const bin = new URL('../../../bin/sciope.js', import.meta.url).pathname;
const studyDir = new URL('../../../resources/studies/toggle-switch/', import.meta.url).pathname;
const work = tempDir('sciope-project-cli-');

async function sciope(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: work });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('sciope project', () => {
  beforeAll(async () => {
    writeFileSync(join(work, 'observed.csv'), readFileSync(join(studyDir, 'observed.csv')));
    const study = JSON.parse(readFileSync(join(studyDir, 'study.json'), 'utf8'));
    writeFileSync(
      join(work, 'study.json'),
      JSON.stringify({ ...study, simulation: { method: 'ssa', runsPerTrial: 1 }, algorithm: { kind: 'smcAbc', populationSize: 30, maxGenerations: 3 } }),
    );
    const infer = await sciope('infer', 'study.json', '--project', 'p.sciope', '-w', '1', '-o', 'posterior.json');
    expect(infer.stderr).toBe('run 1 stored in p.sciope\n');
    expect(infer.code).toBe(0);
  });

  it('new creates a project once', async () => {
    expect(await sciope('project', 'new', 'empty.sciope')).toMatchObject({ code: 0, stdout: 'created project empty.sciope\n' });
    const again = await sciope('project', 'new', 'empty.sciope');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/empty\.sciope: the file already exists/);
    expect((await sciope('project', 'info', 'empty.sciope')).stdout).toMatch(`schema version ${SCHEMA_VERSION},`);
  });

  it('info and runs show what infer --project stored', async () => {
    const info = await sciope('project', 'info', 'p.sciope');
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/models 1, observed datasets 1, parameter sets 0, studies 1/);
    expect(info.stdout).toMatch(/runs 1 \(1 completed\), generations 3, particles 90/);
    const runs = await sciope('project', 'runs', 'p.sciope');
    expect(runs.stdout).toMatch(/^1\s+toggle-switch\s+smcAbc\s+2020\s+completed\s+3\s+\S+\s+maxGenerations/m);
  });

  it('export writes a run as CSV and JSON (the same particles infer wrote) and a study as one JSON file', async () => {
    expect((await sciope('project', 'export', 'p.sciope', '1', '-o', 'run.csv')).code).toBe(0);
    const csv = readFileSync(join(work, 'run.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('generation,alpha1,alpha2,beta,gamma,mu,weight,distance');
    expect(csv).toHaveLength(91);
    expect((await sciope('project', 'export', 'p.sciope', '1', '-o', 'last.csv', '--generation', '2')).code).toBe(0);
    const last = readFileSync(join(work, 'last.csv'), 'utf8').trimEnd().split('\n');
    expect(last).toHaveLength(31);
    expect((await sciope('project', 'export', 'p.sciope', '1', '-o', 'run.json')).code).toBe(0);
    const json = JSON.parse(readFileSync(join(work, 'run.json'), 'utf8'));
    const written = JSON.parse(readFileSync(join(work, 'posterior.json'), 'utf8')).posterior;
    expect(json.posterior.generations[2].particles).toEqual(written.generations[2].particles);
    expect(json.posterior.stopReason).toBe(written.stopReason);

    expect((await sciope('project', 'export', 'p.sciope', '--study', '1', '-o', 'study-export.json')).code).toBe(0);
    const imported = await sciope('project', 'import', 'other.sciope', 'study-export.json');
    expect(imported).toMatchObject({ code: 0, stdout: 'imported study 1 into other.sciope\n' });
    expect((await sciope('project', 'info', 'other.sciope')).stdout).toMatch(/studies 1/);
  });

  it('a second run of the same study shares its stored model, observed data and study', async () => {
    expect(await sciope('infer', 'study.json', '--project', 'twice.sciope', '-q', '-w', '1', '-g', '1')).toMatchObject({ code: 0 });
    expect(await sciope('infer', 'study.json', '--project', 'twice.sciope', '-q', '-w', '1', '-g', '1')).toMatchObject({ code: 0 });
    const info = await sciope('project', 'info', 'twice.sciope');
    expect(info.stdout).toMatch(/models 1, observed datasets 1, parameter sets 0, studies 1/);
    expect(info.stdout).toMatch(/runs 2 \(2 completed\)/);
  });

  it('bad files and ids fail with exit code 2 and say why', async () => {
    writeFileSync(join(work, 'notes.sciope'), 'hello, not a database');
    const notProject = await sciope('project', 'info', 'notes.sciope');
    expect(notProject.code).toBe(2);
    expect(notProject.stderr).toMatch(/notes\.sciope: not a Sciope project \(not an SQLite database\)/);
    expect((await sciope('project', 'runs', 'missing.sciope')).stderr).toMatch(/no such project file/);
    const noRun = await sciope('resume', '--project', 'p.sciope', '9');
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/no run 9 in the project/);
    expect((await sciope('project', 'export', 'p.sciope', '1', '-o', 'x.txt')).stderr).toMatch(/unsupported output format/);
  });
});
