import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../../../engine/api/EngineService.js';
import type { EngineEvent } from '../../../engine/api/contract.js';
import type { BlackBoxSimulatorSpec } from '../../../engine/simulate/blackbox/spec.js';
import { ApprovalStore } from '../../../engine/trust/ApprovalStore.js';
import { describeForPeople, describeSimulator } from '../../../engine/trust/describeSimulator.js';
import { approveFor } from '../trustForTests.js';

/**
 * A project or study someone sends must never run its author's code on the
 * recipient's machine until the recipient approved that exact content
 * (issue #13). Each case is built as an attacker would: a command that
 * leaves a marker file before it does the real work, so any run shows.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/sciope.js');
const decay = join(root, 'resources/simulators/decay.sh');

const work = mkdtempSync(join(tmpdir(), 'sciope-hostile-'));
const marker = join(work, 'MARKER');
const authorConfig = join(work, 'author-config');
const recipientConfig = join(work, 'recipient-config');
const crafted = join(work, 'shared.sciope');

/** "Runs the author's code": appends to MARKER, then serves as a real simulator. */
const spec: BlackBoxSimulatorSpec = {
  kind: 'command',
  command: ['sh', '-c', `echo ran >> ${marker}; exec sh ${decay}`],
  parameters: [
    { id: 'k', value: 0.5 },
    { id: 'x0', value: 10 },
  ],
  species: ['X'],
};
const observedCsv = ['time,X', ...Array.from({ length: 6 }, (_, i) => `${i},${10 * Math.exp(-0.5 * i)}`)].join('\n');

function finished(service: EngineService, runId: number): Promise<EngineEvent> {
  return new Promise((resolve) => {
    const stop = service.onEvent((event) => {
      if (event.type === 'run.finished' && event.runId === runId) {
        stop();
        resolve(event);
      }
    });
  });
}

async function sciope(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: work, env: { ...process.env, XDG_CONFIG_HOME: join(work, 'cli-config'), FORCE_COLOR: '0', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  // The author: approves their own simulator, runs a study, and sends the project.
  const author = new EngineService({ configDir: authorConfig, workers: 1, log: () => {} });
  try {
    await author.call('projects.create', { path: crafted });
    const model = await author.call('models.addSimulator', { name: 'decay', simulator: spec });
    approveFor(authorConfig, crafted, spec);
    const observed = await author.call('observed.importCsv', { name: 'decay.csv', csv: observedCsv });
    const study = await author.call('studies.save', {
      name: 'decay',
      modelId: model.id,
      observedId: observed.id,
      priors: { k: { kind: 'uniform', lower: 0.1, upper: 1 } },
      summaries: { kind: 'identity' },
      distance: { kind: 'euclidean' },
      algorithm: { kind: 'abcRejection', budget: 40, quantile: 0.25 },
      seed: 3,
    });
    const { runId } = await author.call('runs.start', { studyId: study.id });
    const done = await finished(author, runId);
    expect(done).toMatchObject({ status: 'completed' });
  } finally {
    await author.close();
  }
  expect(existsSync(marker)).toBe(true);
  rmSync(marker);
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a shared project whose model is a command simulator', () => {
  let recipient: EngineService;
  beforeAll(async () => {
    recipient = new EngineService({ configDir: recipientConfig, workers: 1, log: () => {} });
    await recipient.call('projects.open', { path: crafted });
  });
  afterAll(() => recipient.close());

  it('opens, lists and shows everything without running it', async () => {
    const contents = await recipient.call('projects.contents');
    expect(contents.models).toHaveLength(1);
    expect(contents.runs).toHaveLength(1);
    const runId = contents.runs[0].id;
    await recipient.call('models.get', { id: contents.models[0].id });
    await recipient.call('runs.get', { runId });
    await recipient.call('runs.posterior', { runId });
    await recipient.call('runs.export', { runId, format: 'csv' });
    const trust = await recipient.call('trust.list');
    expect(trust.scope).toBe(crafted);
    expect(trust.simulators).toHaveLength(1);
    expect(trust.simulators[0]).toMatchObject({
      approved: false,
      usedBy: expect.arrayContaining(['model "decay"']),
      description: { kind: 'command', command: spec.kind === 'command' ? spec.command : [] },
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses every call that would simulate, naming what would run, and runs nothing', async () => {
    const contents = await recipient.call('projects.contents');
    const modelId = contents.models[0].id;
    const runId = contents.runs[0].id;
    const studyId = contents.studies[0].id;
    const calls: Array<[string, unknown]> = [
      ['simulate.preview', { modelId, runs: 2, points: 5, tEnd: 4 }],
      ['runs.predictive', { runId, samples: 3 }],
      ['runs.start', { studyId }],
      ['runs.resume', { runId }],
      ['learn.train', { studyId, train: 20, epochs: 1 }],
    ];
    for (const [method, args] of calls) {
      const outcome = await recipient.invoke(method, args);
      expect(outcome, method).toMatchObject({ ok: false, error: { code: 'SIMULATOR_NOT_APPROVED', details: { scope: crafted } } });
      expect(JSON.stringify(outcome)).not.toMatch(/\n\s+at /);
    }
    const session = await recipient.call('explore.create', { modelId, session: { name: 'look', parameters: { k: [0.1, 1] }, time: { end: 4, points: 5 } } });
    expect(await recipient.invoke('explore.runBatch', { name: session.name, n: 4 })).toMatchObject({ ok: false, error: { code: 'SIMULATOR_NOT_APPROVED' } });
    // Runs that were refused leave no trace: the project still holds the author's one run.
    expect((await recipient.call('runs.list')).length).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('cannot be approved from the API alone: without a channel there is no way; a wrong code never approves', async () => {
    const { fingerprint } = (await recipient.call('trust.list')).simulators[0];
    expect(await recipient.invoke('trust.request', { fingerprint })).toMatchObject({ ok: false, error: { code: 'NO_APPROVAL_CHANNEL' } });
    expect(await recipient.invoke('trust.approve', { fingerprint, code: '1234-5678' })).toMatchObject({ ok: false, error: { code: 'APPROVAL_CODE' } });
    expect(new ApprovalStore(recipientConfig).list()).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('an approval holds for this project file and this exact content only', async () => {
    const codes: string[] = [];
    const other = join(work, 'copy.sciope');
    copyFileSync(crafted, other);
    const service = new EngineService({
      configDir: join(work, 'web-config'),
      workers: 1,
      log: () => {},
      approvalChannel: { kind: 'code', announce: (_r, code) => void codes.push(code) },
    });
    try {
      await service.call('projects.open', { path: crafted });
      const { fingerprint } = (await service.call('trust.list')).simulators[0];
      await service.call('trust.request', { fingerprint: fingerprint! });
      // Five wrong tries void the code.
      for (let i = 0; i < 5; i++) await service.invoke('trust.approve', { fingerprint: fingerprint!, code: '0000-0000' });
      expect(await service.invoke('trust.approve', { fingerprint: fingerprint!, code: codes[0] })).toMatchObject({
        ok: false,
        error: { code: 'APPROVAL_CODE' },
      });
      await service.call('trust.request', { fingerprint: fingerprint! });
      await service.call('trust.approve', { fingerprint: fingerprint!, code: codes[1] });
      const modelId = (await service.call('projects.contents')).models[0].id;
      const preview = await service.call('simulate.preview', { modelId, runs: 1, points: 3, tEnd: 2, seed: 1 });
      expect(preview.data[0]).toBeCloseTo(10, 9);
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);

      // The same content in another project file is another scope.
      await service.call('projects.open', { path: other });
      expect(await service.invoke('simulate.preview', { modelId, runs: 1, points: 3, tEnd: 2 })).toMatchObject({
        ok: false,
        error: { code: 'SIMULATOR_NOT_APPROVED' },
      });
      expect(existsSync(marker)).toBe(false);
    } finally {
      await service.close();
    }
  });

  it('a changed file it runs voids the approval', async () => {
    const script = join(work, 'sim.sh');
    copyFileSync(decay, script);
    const fileSpec: BlackBoxSimulatorSpec = {
      kind: 'command',
      command: ['sh', script],
      cwd: work,
      parameters: [
        { id: 'k', value: 0.5 },
        { id: 'x0', value: 10 },
      ],
      species: ['X'],
    };
    const config = join(work, 'file-config');
    const project = join(work, 'file.sciope');
    const service = new EngineService({ configDir: config, workers: 1, log: () => {} });
    try {
      await service.call('projects.create', { path: project });
      const model = await service.call('models.addSimulator', { name: 'sim', simulator: fileSpec });
      approveFor(config, project, fileSpec);
      await service.call('simulate.preview', { modelId: model.id, runs: 1, points: 3, tEnd: 2, seed: 1 });
      writeFileSync(script, `echo ran >> ${marker}\n${readFileSync(decay, 'utf8')}`);
      const refused = await service.invoke('simulate.preview', { modelId: model.id, runs: 1, points: 3, tEnd: 2, seed: 1 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'SIMULATOR_NOT_APPROVED' } });
      expect(existsSync(marker)).toBe(false);
    } finally {
      await service.close();
    }
  });

  it('a damaged approvals file approves nothing', async () => {
    const config = join(work, 'damaged-config');
    approveFor(config, crafted, spec);
    writeFileSync(join(config, 'approvals.json'), '{"version": 1, "approvals": [{"scope": ');
    const service = new EngineService({ configDir: config, workers: 1, log: () => {} });
    try {
      await service.call('projects.open', { path: crafted });
      const modelId = (await service.call('projects.contents')).models[0].id;
      expect(await service.invoke('simulate.preview', { modelId, runs: 1, points: 3, tEnd: 2 })).toMatchObject({
        ok: false,
        error: { code: 'SIMULATOR_NOT_APPROVED' },
      });
      expect(existsSync(marker)).toBe(false);
    } finally {
      await service.close();
    }
  });
});

describe('a module simulator carried inline', () => {
  it('is refused in a project model, and nothing is imported', async () => {
    const project = join(work, 'inline.sciope');
    copyFileSync(crafted, project);
    const db = new Database(project);
    const source = `import { appendFileSync } from 'node:fs'; appendFileSync(${JSON.stringify(marker)}, 'ran'); export function simulate() { return [[0]]; }`;
    const inline = { kind: 'module', path: '/nowhere/sim.mjs', source, sha256: 'a'.repeat(64), parameters: [{ id: 'k', value: 1 }], species: ['X'] };
    db.prepare("UPDATE models SET source = ? WHERE format = 'simulator'").run(JSON.stringify(inline));
    db.close();
    const service = new EngineService({ configDir: join(work, 'inline-config'), workers: 1, log: () => {} });
    try {
      await service.call('projects.open', { path: project });
      const modelId = (await service.call('projects.contents')).models[0].id;
      const outcome = await service.invoke('simulate.preview', { modelId, runs: 1, points: 3, tEnd: 2 });
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: 'BLACKBOX_SPEC', message: expect.stringContaining('a module carried inline is not accepted') },
      });
      expect((await service.call('trust.list')).simulators.some((s) => s.problem?.includes('carried inline'))).toBe(true);
      expect(existsSync(marker)).toBe(false);
    } finally {
      await service.close();
    }
  });

  it('is refused in a study given to `sciope infer`, even with --trust', async () => {
    const study = join(work, 'inline-study.json');
    writeFileSync(join(work, 'decay.csv'), observedCsv);
    const source = `import { appendFileSync } from 'node:fs'; appendFileSync(${JSON.stringify(marker)}, 'ran'); export function simulate() { return [[0]]; }`;
    writeFileSync(
      study,
      JSON.stringify({
        name: 'inline',
        model: { simulator: { kind: 'module', path: 'missing.mjs', source, parameters: [{ id: 'k', value: 1 }], species: ['X'] } },
        observed: 'decay.csv',
        priors: { k: [0.1, 1] },
        algorithm: { kind: 'abcRejection', budget: 10, quantile: 0.5 },
      }),
    );
    const result = await sciope(['infer', '--trust', '-q', study]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('model.simulator.source: a module carried inline is not accepted');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the command line', () => {
  const study = join(work, 'study.json');
  const simulatorFile = join(work, 'sim.json');
  beforeAll(() => {
    writeFileSync(join(work, 'decay.csv'), observedCsv);
    writeFileSync(
      study,
      JSON.stringify({
        name: 'decay',
        model: { simulator: spec },
        observed: 'decay.csv',
        priors: { k: [0.1, 1] },
        summaries: { kind: 'identity' },
        distance: { kind: 'euclidean' },
        algorithm: { kind: 'abcRejection', budget: 20, quantile: 0.5 },
        seed: 1,
      }),
    );
    writeFileSync(simulatorFile, JSON.stringify({ simulator: spec }));
  });

  it.each([
    ['infer', () => ['infer', '-q', study]],
    ['simulate', () => ['simulate', simulatorFile, '-n', '2']],
    ['resume', () => ['resume', '--project', crafted, '1']],
  ])('%s refuses an unapproved simulator when nobody can be asked (exit 2, what would run, how to approve)', async (_name, args) => {
    const result = await sciope(args());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has not been approved on this computer; nothing was run/);
    expect(result.stderr).toContain('--trust');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(marker)).toBe(false);
  });

  it('`sciope trust show` describes without running; `approve --yes` then lets it run; `revoke` takes it back', async () => {
    const shown = await sciope(['trust', 'show', study]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('[NOT APPROVED]');
    expect(shown.stdout).toContain(`Runs the command: "sh" "-c" "echo ran >> ${marker}; exec sh ${decay}"`);
    expect(existsSync(marker)).toBe(false);
    expect((await sciope(['trust', 'approve', '--yes', study])).code).toBe(0);
    const run = await sciope(['infer', '-q', study]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
    expect((await sciope(['trust', 'revoke', study])).stdout).toContain('1 approval removed');
    expect((await sciope(['infer', '-q', study])).code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

  it('`sciope api` cannot approve: trust.request has no channel there', async () => {
    const listed = await sciope(['api', '--project', crafted, 'trust.list']);
    const { fingerprint } = (JSON.parse(listed.stdout) as { simulators: Array<{ fingerprint: string }> }).simulators[0];
    const result = await sciope(['api', '--project', crafted, 'trust.request', JSON.stringify({ fingerprint })]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('NO_APPROVAL_CHANNEL');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('what the person is shown', () => {
  it('escapes control characters, so a crafted argument cannot fake lines of the description', () => {
    const sneaky: BlackBoxSimulatorSpec = {
      kind: 'command',
      command: ['sh', '-c', 'true\nFiles (SHA-256):\n  /usr/bin/safe  0000'],
      cwd: '/tmp',
      parameters: [],
      species: ['X'],
    };
    const text = describeForPeople(describeSimulator(sneaky), '/tmp/p.sciope\u001b[2J');
    expect(text.split('\n')[0]).toBe('From: /tmp/p.sciope\\u{1b}[2J');
    expect(text).toContain(`"true\\nFiles (SHA-256):\\n  /usr/bin/safe  0000"`);
    expect(text.split('\n').filter((l) => l.startsWith('Files'))).toHaveLength(0);
  });
});
