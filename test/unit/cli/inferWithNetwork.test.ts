import { copyFileSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sciope } from './runSciope.js';

const root = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sciope-infer-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sciope infer with a learned network', () => {
  it('trains a network with sciope learn, then uses it by file and by project id', async () => {
    for (const f of ['study.json', 'observed.csv']) copyFileSync(join(root, 'resources/studies/toggle-switch', f), join(dir, f));
    const base = JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8'));
    const project = join(dir, 'p.sciope');
    const learned = await sciope(
      'learn',
      join(dir, 'study.json'),
      '--architecture',
      'dnn',
      '--train',
      '100',
      '--epochs',
      '2',
      '--out',
      join(dir, 'net.json'),
      '--project',
      project,
      '--quiet',
      '--workers',
      '1',
    );
    expect(learned.code).toBe(0);
    const study = (summaries: unknown) => ({
      ...base,
      summaries,
      distance: { kind: 'euclidean' },
      algorithm: { kind: 'abcRejection', budget: 100, quantile: 0.1 },
      simulation: { method: 'ssa', runsPerTrial: 1 },
    });
    writeFileSync(join(dir, 'by-file.json'), JSON.stringify(study({ kind: 'neural-network', file: 'net.json' })));
    const byFile = await sciope('infer', join(dir, 'by-file.json'), '--workers', '1');
    expect(byFile.code).toBe(0);
    expect(byFile.stdout).toContain('abcRejection');
    writeFileSync(join(dir, 'by-id.json'), JSON.stringify(study({ kind: 'neural-network', network: 1 })));
    const byId = await sciope('infer', join(dir, 'by-id.json'), '--project', project, '--workers', '1');
    expect(byId.code).toBe(0);
    const missing = await sciope('infer', join(dir, 'by-id.json'), '--workers', '1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('summaries.network');
  });
});
