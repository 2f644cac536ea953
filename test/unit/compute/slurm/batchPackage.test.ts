import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJobScript } from '../../../../engine/compute/slurm/batch/jobScript.js';
import { verifyApprovedSimulator } from '../../../../engine/compute/slurm/batch/manifest.js';
import { packStudy } from '../../../../engine/compute/slurm/batch/studyPackage.js';
import { gzippedTar } from '../../../../engine/compute/slurm/batch/tarball.js';
import { parseStudy } from '../../../../engine/infer/study.js';
import { blackBoxModel } from '../../../../engine/simulate/blackbox/spec.js';

/**
 * What `sciope infer --detach` uploads, without a cluster: the study made
 * self-contained (its files copied, paths rewritten) and the trust rule's
 * cluster side (the uploaded simulator must hash as approved here).
 */
function commandStudy(): { dir: string; studyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sciope-batch-pack-'));
  const outside = mkdtempSync(join(tmpdir(), 'sciope-batch-outside-'));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'sim.sh'), '#!/bin/sh\necho simulator\n');
  chmodSync(join(dir, 'bin', 'sim.sh'), 0o755);
  writeFileSync(join(outside, 'table.txt'), '1 2 3\n');
  writeFileSync(join(dir, 'observed.csv'), 'time,X\n0,10\n1,6\n');
  const study = {
    name: 'packed',
    model: {
      simulator: {
        kind: 'command',
        command: ['./bin/sim.sh', join(outside, 'table.txt'), '--fast'],
        env: { MODE: 'x' },
        parameters: [{ id: 'k', value: 1 }],
        species: ['X'],
      },
    },
    observed: 'observed.csv',
    priors: { k: [0.1, 2] },
    output: 'posterior.csv',
    algorithm: { kind: 'smcAbc', populationSize: 10, maxGenerations: 2 },
  };
  const studyPath = join(dir, 'study.json');
  writeFileSync(studyPath, JSON.stringify(study));
  return { dir, studyPath };
}

describe('batch mode: the study package', () => {
  it('copies every file a command simulator runs and rewrites the paths to the copies', () => {
    const { studyPath } = commandStudy();
    const study = parseStudy(JSON.parse(readFileSync(studyPath, 'utf8')), studyPath);
    const packed = packStudy(studyPath, study, blackBoxModel(study.simulator!));
    const files = new Map(packed.files.map((f) => [f.path, f]));
    expect([...files.keys()].sort()).toEqual(['observed.csv', 'sim/bin/sim.sh', 'sim/outside-1/table.txt', 'study.json']);
    expect(files.get('sim/bin/sim.sh')!.mode).toBe(0o755);
    const json = JSON.parse(files.get('study.json')!.data.toString('utf8'));
    // A file inside the command's folder keeps its relative argument; one outside names its copy.
    expect(json.model.simulator).toMatchObject({ command: ['./bin/sim.sh', 'outside-1/table.txt', '--fast'], cwd: 'sim', env: { MODE: 'x' } });
    expect(json.output).toBeUndefined();
    expect(packed.simulator!.files.map((f) => [f.role, f.path])).toEqual([
      ['program', 'sim/bin/sim.sh'],
      ['argument', 'sim/outside-1/table.txt'],
    ]);
  });

  it('the cluster runs the copies only when they hash as approved; one changed byte is refused', () => {
    const { studyPath } = commandStudy();
    const study = parseStudy(JSON.parse(readFileSync(studyPath, 'utf8')), studyPath);
    const packed = packStudy(studyPath, study, blackBoxModel(study.simulator!));
    // Unpack where "the cluster" would, then read the uploaded study as the coordinator does.
    const remote = mkdtempSync(join(tmpdir(), 'sciope-batch-remote-'));
    writeFileSync(join(remote, 'input.tgz'), gzippedTar(packed.files));
    execFileSync('tar', ['xzf', join(remote, 'input.tgz'), '-C', remote]);
    const uploaded = join(remote, 'study.json');
    const readUploaded = () => parseStudy(JSON.parse(readFileSync(uploaded, 'utf8')), uploaded);
    expect(() => verifyApprovedSimulator(readUploaded().simulator, packed.simulator, 'manifest.json')).not.toThrow();
    writeFileSync(join(remote, 'sim', 'outside-1', 'table.txt'), '1 2 4\n');
    expect(() => verifyApprovedSimulator(readUploaded().simulator, packed.simulator, 'manifest.json')).toThrow(
      /not the one approved on your computer.*table\.txt has SHA-256/s,
    );
    // No approval travelling with a simulator: refused, nothing runs.
    expect(() => verifyApprovedSimulator(readUploaded().simulator, undefined, 'manifest.json')).toThrow(/carries no approval/);
  });

  it('the tarball is byte-for-byte the same for the same files (its hash names a deployment)', () => {
    const files = [
      { path: 'b/deep/' + 'x'.repeat(120) + '/file.txt', data: Buffer.from('long path'), mode: 0o644 },
      { path: 'a.txt', data: Buffer.from('a'), mode: 0o600 },
    ];
    const one = gzippedTar(files);
    expect(gzippedTar([...files].reverse()).equals(one)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'sciope-batch-tar-'));
    writeFileSync(join(dir, 'x.tgz'), one);
    execFileSync('tar', ['xzf', join(dir, 'x.tgz'), '-C', dir]);
    expect(readFileSync(join(dir, files[0].path), 'utf8')).toBe('long path');
    expect(() => gzippedTar([{ path: '../escape', data: Buffer.alloc(0), mode: 0o644 }])).toThrow(/relative path inside/);
  });

  it('the job script asks for the cluster settings, records its exit code and keeps approvals in the run', () => {
    const script = renderJobScript({
      id: 'toggle-1a2b3c',
      runDir: '/shared/runs/toggle-1a2b3c',
      cliDir: '/shared/cli-abc',
      settings: { partition: 'short', time: '01:00:00', tasks: 4, cpusPerTask: 2, nodePath: 'node', setup: 'module load nodejs' },
    });
    expect(script).toContain('#SBATCH --partition=short\n#SBATCH --time=01:00:00\n#SBATCH --ntasks=4\n#SBATCH --cpus-per-task=2\n');
    expect(script).toContain('export XDG_CONFIG_HOME=/shared/runs/toggle-1a2b3c/config');
    expect(script).toContain('module load nodejs\n');
    expect(script).toMatch(/trap '.*record_exit 143.*' TERM/);
    expect(script).toContain('node /shared/cli-abc/sciope.mjs remote coordinate /shared/runs/toggle-1a2b3c &');
  });
});
