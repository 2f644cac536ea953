import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseObservedCsv, parseStudy, runStudy, type Generation } from '../../../engine/infer/index.js';
import { blackBoxModel } from '../../../engine/simulate/blackbox/index.js';
import { expectSamePosterior } from '../store/helpers.js';
import { approveInProcess } from '../trustForTests.js';

/** runStudy with resumeFrom continues an SMC-ABC run of an external-command simulator (Python) to the bit-identical posterior. */
describe('resuming a command-simulator study', () => {
  it('continues from generation 1 to the posterior of the uninterrupted run', async () => {
    const fixtures = fileURLToPath(new URL('../../fixtures/blackbox/', import.meta.url));
    const studyPath = join(fixtures, 'birth-death.study.json');
    const json = JSON.parse(readFileSync(studyPath, 'utf8')) as Record<string, unknown>;
    const study = parseStudy({ ...json, simulation: { runsPerTrial: 1 }, algorithm: { kind: 'smcAbc', populationSize: 30, maxGenerations: 3 } }, studyPath);
    const observed = parseObservedCsv(readFileSync(join(fixtures, 'birth-death-mean.csv'), 'utf8'), { species: study.species });
    const model = blackBoxModel(study.simulator!);
    approveInProcess(study.simulator!);
    const stored: Generation[] = [];
    const full = await runStudy(study, model, observed, { seed: 3, onGeneration: (g) => void stored.push(g) });
    expect(stored).toHaveLength(3);
    const added: Generation[] = [];
    const resumed = await runStudy(study, model, observed, {
      seed: 3,
      resumeFrom: { generations: stored.slice(0, 1) },
      onGeneration: (g) => void added.push(g),
    });
    expectSamePosterior(resumed, full);
    expect(added.map((g) => g.index)).toEqual([1, 2]);
  });
});
