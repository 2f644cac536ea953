import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessExecutor } from '../../../engine/compute/InProcessExecutor.js';
import {
  attachSessionStore,
  createExplorationSession,
  listExplorationSessions,
  loadExplorationSession,
  SessionSpecError,
} from '../../../engine/explore/index.js';
import { getExample } from '../../../engine/model/index.js';
import { ProjectStore } from '../../../engine/store/ProjectStore.js';
import { tempDir } from '../store/helpers.js';

const SESSION = {
  name: 'birth-death-scan',
  model: 'birth-death',
  parameters: { lambda: [0.05, 0.15], mu: { kind: 'uniform', lower: 0.05, upper: 0.15 } },
  time: { end: 20, points: 21 },
  design: { kind: 'sobol' },
  batchSize: 16,
  keepTrajectories: 2,
  reduction: 'pca',
  classes: ['decay', 'growth'],
  seed: 7,
};

describe('ExplorationSession on the birth-death example', () => {
  const dir = tempDir('sciope-explore-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs 2 batches through InProcessExecutor, labels, propagates, proposes, and persists/reloads from a project', async () => {
    const executor = new InProcessExecutor();
    const path = join(dir, 'explore.sciope');
    const store = ProjectStore.open(path, { create: true });
    const session = createExplorationSession(SESSION, getExample('birth-death')!, 'session.json');
    attachSessionStore(store, session);
    await session.runBatch(executor);
    const second = await session.runBatch(executor);
    expect(second).toMatchObject({ index: 1, first: 16, count: 16 });
    expect(session.pointCount).toBe(32);
    expect(session.featureNames.length).toBeGreaterThan(3);
    // Sobol continues across batches: no point repeats.
    const keys = new Set(session.parameterRows().map((r) => r.join(',')));
    expect(keys.size).toBe(32);
    expect(session.batches[0].trajectoryCount).toBe(2);

    // Label by the sign of lambda - mu, the known growth/decay boundary; 3 of each.
    const rows = session.parameterRows();
    const truth = rows.map(([lambda, mu]) => (lambda > mu ? 1 : 0));
    const labels: Record<number, number> = {};
    for (const c of [0, 1])
      truth
        .flatMap((t, i) => (t === c ? [i] : []))
        .slice(0, 3)
        .forEach((i) => (labels[i] = c));
    session.setLabels(labels);
    const propagated = await session.propagate();
    expect(propagated.classes).toEqual(['decay', 'growth']);
    expect(propagated.soft).toHaveLength(32);
    const agree = propagated.hard.filter((h, i) => h === truth[i]).length / 32;
    // Features of a single SSA run per point are noisy near lambda = mu; most points still agree.
    expect(agree).toBeGreaterThan(0.7);
    const embedding = await session.embed();
    expect(embedding.x).toHaveLength(32);
    expect(embedding.explainedVariance![0]).toBeGreaterThan(0);

    const proposal = await session.propose({ n: 6 });
    expect(proposal.parameters).toHaveLength(6);
    for (const [lambda, mu] of proposal.parameters) {
      expect(lambda).toBeGreaterThanOrEqual(0.05);
      expect(mu).toBeLessThanOrEqual(0.15);
    }
    await session.runProposal(executor, proposal);
    await session.runBatch(executor, { n: 4, source: { kind: 'box', lower: { lambda: 0.05 }, upper: { lambda: 0.07 } } });
    expect(session.pointCount).toBe(42);
    for (const row of session.parameterRows().slice(38)) expect(row[0]).toBeLessThanOrEqual(0.07 + 1e-12);
    store.close();

    const reopened = ProjectStore.open(path);
    expect(listExplorationSessions(reopened)).toEqual(['birth-death-scan']);
    const loaded = loadExplorationSession(reopened, 'birth-death-scan');
    expect(loaded.pointCount).toBe(42);
    expect(loaded.labelRecord()).toEqual(labels);
    expect(loaded.classNames).toEqual(['decay', 'growth']);
    expect(loaded.featureRows().map((r) => Array.from(r))).toEqual(session.featureRows().map((r) => Array.from(r)));
    expect(loaded.batches.map((b) => b.origin.kind)).toEqual(['design', 'design', 'proposal', 'region']);
    expect((await loaded.propagate()).hard).toEqual((await session.propagate()).hard);
    // A third design batch continues the Sobol sequence after the 32 drawn.
    await loaded.runBatch(executor, { n: 4 });
    expect(new Set(loaded.parameterRows().map((r) => r.join(','))).size).toBe(46);
    reopened.close();
    const again = ProjectStore.open(path);
    expect(loadExplorationSession(again, 'birth-death-scan').pointCount).toBe(46);
    again.close();
    await executor.close();
  });

  it('rejects a bad session with every field named', () => {
    try {
      createExplorationSession({ model: 'birth-death', parameters: { lambda: [1, 0] }, batchSize: 0, labels: { x: 1 } }, getExample('birth-death')!);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SessionSpecError);
      const message = (error as Error).message;
      expect(message).toMatch(/batchSize: expected an integer >= 1/);
      expect(message).toMatch(/labels\.x: expected a point index/);
    }
    expect(() => createExplorationSession({ model: 'birth-death', parameters: { lambda: [1, 0] } }, getExample('birth-death')!)).toThrow(
      /parameters\.lambda\[1\]/,
    );
    expect(() => createExplorationSession({ model: 'birth-death', parameters: { kappa: [0, 1] } }, getExample('birth-death')!)).toThrow(
      /parameters\.kappa: the model "birth-death" has no parameter/,
    );
  });
});
