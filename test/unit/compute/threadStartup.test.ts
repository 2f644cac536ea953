import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * What keeps a simulation thread's start short (issue 15): its bundle loads
 * no schema library, and V8 compiles its hot simulator inline instead of
 * queueing the compile behind busy cores.
 */
const threadWorker = fileURLToPath(new URL('../../../engine/compute/pool/threadWorker.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/inlineTiering.ts', import.meta.url));

/** Files a module loads when it is imported: its static imports, transitively (dynamic import() left out). */
async function staticImports(entry: string): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['piscina'],
  });
  const start = Object.keys(metafile.inputs).find((path) => entry.endsWith(path))!;
  const seen = new Set([start]);
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of metafile.inputs[file]?.imports ?? []) {
      if (edge.kind === 'dynamic-import' || edge.external || seen.has(edge.path)) continue;
      seen.add(edge.path);
      queue.push(edge.path);
    }
  }
  return [...seen];
}

/** The mode V8 compiled `name` with, from a --trace-opt log. */
function compileModes(trace: string, name: string): string[] {
  return [...trace.matchAll(new RegExp(`compiling method [^\\n]*<JSFunction ${name} [^\\n]*mode: ConcurrencyMode::k(\\w+)`, 'g'))].map((m) => m[1]);
}

function traceOf(...args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--trace-opt', fixture, ...args], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('simulation thread start-up', () => {
  it('the thread worker loads no zod: statistics and black-box specs are imported when a job has them', async () => {
    const files = await staticImports(threadWorker);
    expect(files.some((f) => f.includes('engine/simulate/ssa/DirectMethod.ts'))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules/zod'))).toEqual([]);
    expect(files.filter((f) => f.includes('engine/model/schema.ts') || f.includes('engine/stats/specSchemas.ts'))).toEqual([]);
  }, 60_000);

  it('threads started after compileInlineInNewThreads compile inline; the calling thread still compiles in the background', () => {
    const trace = traceOf();
    expect(compileModes(trace, 'hotInWorker')).toContain('Synchronous');
    expect(compileModes(trace, 'hotInWorker')).not.toContain('Concurrent');
    expect(compileModes(trace, 'hotInMain')).toContain('Concurrent');
    expect(compileModes(trace, 'hotInMain')).not.toContain('Synchronous');
    // Without the call a new thread compiles in the background, as this thread does.
    expect(compileModes(traceOf('control'), 'hotInWorker')).toContain('Concurrent');
  }, 60_000);
});
