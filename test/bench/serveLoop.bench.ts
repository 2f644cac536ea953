/**
 * `sciope serve`'s event loop while the engine works: the delay of the
 * server's loop (perf_hooks monitorEventLoopDelay, 10 ms resolution) during
 * each API call below, sent over HTTP as the app sends it, with the engine
 * (a) in the server's process, as `sciope serve` ran it before, and (b) in its
 * own process behind the engine bridge, as it runs now (engine/serve/engineProcess.ts;
 * the same host the desktop app runs in a utility process), the outcome handed on as the host's
 * UTF-8 JSON. The HTTP client is curl, in its own process as a browser is.
 * Prints a table and writes test/bench/results/serveLoop.json.
 *
 * Run: npx tsx test/bench/serveLoop.bench.ts
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { EngineService } from '../../engine/api/index.js';
import { EngineHostClient, launchChildProcessHost } from '../../engine/api/host/index.js';
import { formatTable } from '../../engine/cli/output/finalStateSummary.js';
import { startEngineServer, type EngineEndpoint } from '../../engine/serve/EngineServer.js';

const root = new URL('../../', import.meta.url).pathname;
const execFileAsync = promisify(execFile);
const WORKERS = 2;

type Mode = 'in-process' | 'host process';
interface Row {
  task: string;
  mode: Mode;
  seconds: number;
  responseMiB: number;
  p50: number;
  p99: number;
  max: number;
}

/** The calls measured; `modelId` is the Vilar oscillator added to the project. */
const tasks = (modelId: number): Array<{ task: string; method: string; args: unknown }> => [
  { task: 'preview Vilar, app default (10 runs x 101 points)', method: 'simulate.preview', args: { modelId, runs: 10, points: 101, seed: 1 } },
  { task: 'preview Vilar, 40 runs x 5,001 points (1.8 M numbers)', method: 'simulate.preview', args: { modelId, runs: 40, points: 5001, tEnd: 100, seed: 2 } },
  {
    task: 'priors.sample 100,000 x 8 (0.8 M numbers)',
    method: 'priors.sample',
    args: { n: 100_000, seed: 3, priors: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, { kind: 'uniform', lower: 0, upper: 1 }])) },
  },
];

async function measureMode(mode: Mode, configDir: string, projectPath: string): Promise<Row[]> {
  const answerFile = join(configDir, '..', 'answer.json');
  let service: EngineEndpoint & { close(): Promise<void> };
  if (mode === 'in-process') service = new EngineService({ configDir, workers: WORKERS, log: () => {} });
  else {
    service = new EngineHostClient({
      launch: () => launchChildProcessHost({ entry: join(root, 'engine/api/host/childProcessEntry.ts'), execArgv: ['--import', 'tsx'] }),
      init: { configDir, workers: WORKERS, approval: 'none' },
      log: () => {},
    });
  }
  const server = await startEngineServer({ service, port: 0 });
  // The client is curl, another process, as the browser is: the loop measured is the server's alone.
  const call = async (method: string, args: unknown): Promise<number> => {
    const { stdout } = await execFileAsync('curl', [
      '-sS',
      '-X',
      'POST',
      '-H',
      `authorization: Bearer ${server.token}`,
      '-H',
      'content-type: application/json',
      '--data-binary',
      JSON.stringify(args),
      '-o',
      answerFile,
      '-w',
      '%{size_download}',
      `http://127.0.0.1:${server.port}/api/${method}`,
    ]);
    const head = readFileSync(answerFile, 'utf8').slice(0, 400);
    if (!head.startsWith('{"ok":true')) throw new Error(`${method}: ${head}`);
    return Number(stdout);
  };
  const rows: Row[] = [];
  try {
    await call(mode === 'in-process' ? 'projects.create' : 'projects.open', { path: projectPath });
    const modelId = mode === 'in-process' ? ((await (service as EngineService).call('models.addExample', { example: 'vilar' })) as { id: number }).id : 1;
    for (const { task, method, args } of tasks(modelId)) {
      // One untimed call warms the workers and V8, then the measured one.
      await call(method, args);
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const started = performance.now();
      const bytes = await call(method, args);
      const seconds = (performance.now() - started) / 1000;
      histogram.disable();
      const ms = (ns: number) => ns / 1e6;
      rows.push({
        task,
        mode,
        seconds,
        responseMiB: bytes / 2 ** 20,
        p50: ms(histogram.percentile(50)),
        p99: ms(histogram.percentile(99)),
        max: ms(histogram.max),
      });
    }
  } finally {
    await server.close();
    await service.close();
  }
  return rows;
}

const dir = mkdtempSync(join(tmpdir(), 'sciope-serve-loop-'));
const projectPath = join(dir, 'bench.sciope');
const rows: Row[] = [];
try {
  // In-process first: it creates the project the host-process run reopens. Then alternate once more each way.
  rows.push(...(await measureMode('in-process', join(dir, 'config'), projectPath)));
  rows.push(...(await measureMode('host process', join(dir, 'config'), projectPath)));
  const again = join(dir, 'again.sciope');
  rows.push(...(await measureMode('in-process', join(dir, 'config'), again)));
  rows.push(...(await measureMode('host process', join(dir, 'config'), again)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const f = (x: number, d = 1) => x.toFixed(d);
console.log(
  `sciope serve: event-loop delay of the server during each call (ms; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
console.log(
  formatTable(
    ['task', 'engine', 'wall s', 'answer MiB', 'p50', 'p99', 'max'],
    rows.map((r) => [r.task, r.mode, f(r.seconds, 2), f(r.responseMiB), f(r.p50), f(r.p99), f(r.max)]),
  ),
);
const outDir = join(root, 'test/bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'serveLoop.json'),
  JSON.stringify(
    { benchmark: 'serveLoop', date: new Date().toISOString(), loadAverage: loadavg(), workers: WORKERS, bar: { p99Ms: 50, maxMs: 200 }, rows },
    null,
    2,
  ),
);
