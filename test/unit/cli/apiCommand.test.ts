import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sciope } from './runSciope.js';

const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sciope-api-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sciope api', () => {
  const project = join(dir, 'p.sciope');
  const api = (...args: string[]) => sciope('api', '--project', project, '--config-dir', join(dir, 'config'), ...args);

  it('calls EngineApi methods with JSON arguments and waits for a run to end', async () => {
    const model = await api('models.addExample', '{"example": "toggle-switch"}');
    expect(model.code).toBe(0);
    expect(JSON.parse(model.stdout)).toMatchObject({ id: 1, species: ['U', 'V'] });
    writeFileSync(
      join(dir, 'observed.json'),
      JSON.stringify({ name: 'observed.csv', csv: readFileSync(join(root, 'resources/studies/toggle-switch/observed.csv'), 'utf8') }),
    );
    expect((await api('observed.importCsv', `@${join(dir, 'observed.json')}`)).code).toBe(0);
    const study = await api(
      'studies.save',
      JSON.stringify({
        name: 's',
        modelId: 1,
        observedId: 1,
        priors: { beta: [1, 4] },
        algorithm: { kind: 'abcRejection', budget: 60, quantile: 0.2 },
        seed: 3,
      }),
    );
    expect(study.code).toBe(0);
    const run = await api('--wait', 'runs.start', '{"studyId": 1}');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"status": "completed"');
    const contents = JSON.parse((await api('projects.contents')).stdout);
    expect(contents.runs[0]).toMatchObject({ status: 'completed', generations: 1 });
  });

  it('prints a bad argument as a structured error with exit code 2', async () => {
    const bad = await api('simulate.preview', '{"modelId": 1, "runs": 0}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('runs: expected the number of runs >= 1');
    expect(bad.stderr).toContain('"code":"INVALID_ARGUMENT"');
    expect((await api('no.such', '{}')).stderr).toContain('UNKNOWN_METHOD');
    expect((await api('projects.contents', '{oops')).code).toBe(2);
  });
});
