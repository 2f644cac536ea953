import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sciope } from '../cli/runSciope.js';
import { tempDir } from '../store/helpers.js';

describe('sciope explore', () => {
  const dir = tempDir('sciope-explore-cli-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const session = {
    name: 'bd',
    model: 'birth-death',
    parameters: { lambda: [0.05, 0.15], mu: [0.05, 0.15] },
    time: { end: 20, points: 21 },
    batchSize: 12,
    reduction: 'pca',
    classes: ['decay', 'growth'],
    labels: { '0': 'decay', '1': 'growth' },
    activeLearning: { batchSize: 5 },
    seed: 3,
  };

  it('runs batches into a project, writes features, embedding with labels and proposals, and continues on a second run', async () => {
    const file = join(dir, 'bd.json');
    writeFileSync(file, JSON.stringify(session));
    const project = join(dir, 'p.sciope');
    const out = join(dir, 'out');
    const first = await sciope('explore', file, '--project', project, '--out', out, '--workers', '1');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/bd: 12 points in 1 batch/);
    expect(first.stdout).toMatch(/proposed 5 points \(entropy\)/);
    const embedding = readFileSync(join(out, 'embedding.csv'), 'utf8').trim().split('\n');
    expect(embedding[0]).toBe('point,batch,x,y,label,predicted,entropy,margin');
    expect(embedding).toHaveLength(13);
    expect(embedding[1]).toMatch(/^0,0,[^,]+,[^,]+,decay,(decay|growth),/);
    expect(readFileSync(join(out, 'proposals.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
    expect(readFileSync(join(out, 'features.csv'), 'utf8').split('\n')[0]).toMatch(/^point,batch,X:/);

    const second = await sciope('explore', file, '--project', project, '--out', out, '--batches', '1', '--workers', '1');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/bd: 24 points in 2 batches/);
    expect(readFileSync(join(out, 'parameters.csv'), 'utf8').trim().split('\n')).toHaveLength(25);
  });

  it('reports an invalid session with the field named (exit code 2)', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...session, reduction: 'mds' }));
    const result = await sciope('explore', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/reduction: expected "pca", "umap", "tsne" or \{"method"/);
    writeFileSync(file, JSON.stringify({ ...session, labels: { '0': 'unknown' } }));
    expect((await sciope('explore', file)).stderr).toMatch(/labels\.0: unknown class "unknown"/);
  });
});
