import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCasesInWorkers, type CaseOutcome } from '../../../engine/sbmlSuite/index.js';

/**
 * A stand-in worker speaking the pool's protocol: case ids on stdin, one JSON
 * outcome per line on stdout. 00002 hangs (busy, as synchronous code would),
 * 00003 crashes, the others pass; it also prints one stray line.
 */
const FAKE_WORKER = `
const rl = require('node:readline').createInterface({ input: process.stdin });
console.log('a library talking on stdout');
rl.on('line', (id) => {
  if (id === '00002') for (;;) {}
  if (id === '00003') { process.stderr.write('boom\\n'); process.exit(3); }
  process.stdout.write(JSON.stringify({ id, outcome: 'pass', testType: 'TimeCourse', componentTags: [], testTags: [], ms: 1 }) + '\\n');
});
`;

const describeCase = () => ({ testType: 'TimeCourse', componentTags: ['Species'], testTags: [] });

describe('runCasesInWorkers', () => {
  it('kills a silent worker (timeout), records a crash (error), restarts workers and finishes every case', async () => {
    let started = 0;
    const stray: string[] = [];
    const streamed: string[] = [];
    const outcomes = await runCasesInWorkers(['00001', '00002', '00003', '00004', '00005'], {
      // One worker, so the order of events is fixed: 00001, 00002 (killed), 00003 (crash), 00004, 00005.
      jobs: 1,
      watchdogMs: 1500,
      startWorker: () => {
        started++;
        return spawn(process.execPath, ['-e', FAKE_WORKER]);
      },
      describeCase,
      onOutcome: (o) => streamed.push(o.id),
      onStrayOutput: (line) => stray.push(line),
    });
    const byId = new Map(outcomes.map((o: CaseOutcome) => [o.id, o]));
    expect([...byId.keys()].sort()).toEqual(['00001', '00002', '00003', '00004', '00005']);
    expect(streamed.sort()).toEqual(['00001', '00002', '00003', '00004', '00005']);
    expect(byId.get('00001')?.outcome).toBe('pass');
    expect(byId.get('00002')).toMatchObject({
      outcome: 'timeout',
      reason: 'no answer within 1.5 s: the watchdog killed the worker',
      componentTags: ['Species'],
    });
    expect(byId.get('00003')).toMatchObject({ outcome: 'error', reason: 'the worker died (exit code 3) running this case: boom' });
    expect(byId.get('00004')?.outcome).toBe('pass');
    expect(byId.get('00005')?.outcome).toBe('pass');
    // One at the start, one after the kill, one after the crash.
    expect(started).toBe(3);
    expect(stray).toContain('a library talking on stdout');
  });

  it('stops when workers die before answering anything, three in a row', async () => {
    const run = runCasesInWorkers(['00001', '00002', '00003', '00004', '00005'], {
      jobs: 1,
      watchdogMs: 10_000,
      startWorker: () => spawn(process.execPath, ['-e', 'process.stderr.write("cannot load the engine"); process.exit(1)']),
      describeCase,
    });
    await expect(run).rejects.toThrow(/3 workers in a row died before answering; last stderr:\ncannot load the engine/);
  });
});
