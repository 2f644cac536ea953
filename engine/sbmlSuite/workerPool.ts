/**
 * Runs cases in worker processes so that a case that hangs or crashes cannot
 * take the run down. A worker reads case ids on stdin, one per line, and
 * writes one JSON CaseOutcome per line on stdout; the pool hands each worker
 * the next case when it answers the last (so fast and slow cases balance
 * out). A watchdog kills a worker that answers nothing for `watchdogMs`
 * (synchronous code that ignores its own time limit), records its case as
 * `timeout` and starts a fresh worker for the remaining cases; a worker that
 * dies records its case as `error`.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { EngineError } from '../errors/index.js';
import type { CaseOutcome, Outcome } from './runCase.js';

/** What the pool knows of a case without running it (its header), for the outcomes it records itself. */
export type DescribeCase = (id: string) => Pick<CaseOutcome, 'testType' | 'componentTags' | 'testTags'>;

export interface WorkerPoolOptions {
  jobs: number;
  /** Starts one worker process (see the header for its protocol). */
  startWorker: () => ChildProcessWithoutNullStreams;
  /** Silence after which a worker is killed; the bar is 30 s per case, so 40 s leaves the case's own limit room to act first. */
  watchdogMs: number;
  describeCase: DescribeCase;
  onOutcome?: (outcome: CaseOutcome) => void;
  /** Lines a worker writes that are not outcomes (stray output of libraries). */
  onStrayOutput?: (line: string) => void;
}

/** Workers dying in a row before answering anything: the workers cannot start, stop instead of burning through every case. */
const MAX_SILENT_DEATHS = 3;
const STDERR_KEPT = 2000;

export function runCasesInWorkers(ids: readonly string[], options: WorkerPoolOptions): Promise<CaseOutcome[]> {
  const queue = [...ids];
  const outcomes: CaseOutcome[] = [];
  let live = 0;
  let silentDeaths = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const record = (outcome: CaseOutcome) => {
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    };
    const recordOwn = (id: string, outcome: Outcome, reason: string, ms: number) => {
      let header: ReturnType<DescribeCase>;
      try {
        header = options.describeCase(id);
      } catch {
        header = { testType: 'unknown', componentTags: [], testTags: [] };
      }
      record({ id, outcome, reason, ...header, ms });
    };

    const startWorker = () => {
      if (failed || queue.length === 0) return;
      live++;
      const child = options.startWorker();
      let current: string | undefined;
      let assignedAt = 0;
      let answered = false;
      let killedBySilence = false;
      let stdout = '';
      let stderr = '';
      let watchdog: NodeJS.Timeout | undefined;

      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          killedBySilence = true;
          child.kill('SIGKILL');
        }, options.watchdogMs);
      };
      const assign = () => {
        current = queue.shift();
        if (current === undefined) {
          clearTimeout(watchdog);
          child.stdin.end();
          return;
        }
        assignedAt = performance.now();
        child.stdin.write(`${current}\n`);
        arm();
      };
      const handleLine = (line: string) => {
        let outcome: CaseOutcome | undefined;
        try {
          const parsed = line.startsWith('{') ? (JSON.parse(line) as CaseOutcome) : undefined;
          if (parsed && parsed.id === current && typeof parsed.outcome === 'string') outcome = parsed;
        } catch {
          outcome = undefined;
        }
        if (!outcome) {
          if (line.trim()) options.onStrayOutput?.(line);
          return;
        }
        answered = true;
        silentDeaths = 0;
        record(outcome);
        assign();
      };

      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
          const line = stdout.slice(0, nl);
          stdout = stdout.slice(nl + 1);
          handleLine(line);
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEPT);
      });
      // A write to a worker that died is reported by 'close' below; without this listener it would crash the pool.
      child.stdin.on('error', () => undefined);
      child.on('error', () => undefined);
      child.on('close', (code, signal) => {
        clearTimeout(watchdog);
        live--;
        if (current !== undefined) {
          const ms = Math.round(performance.now() - assignedAt);
          if (killedBySilence) {
            recordOwn(current, 'timeout', `no answer within ${options.watchdogMs / 1000} s: the watchdog killed the worker`, ms);
          } else {
            const last = stderr.trim().split('\n').slice(-3).join(' | ');
            recordOwn(
              current,
              'error',
              `the worker died (${signal ? `signal ${signal}` : `exit code ${code}`}) running this case${last ? `: ${last}` : ''}`,
              ms,
            );
          }
          if (!answered && !killedBySilence && ++silentDeaths >= MAX_SILENT_DEATHS) {
            failed = true;
            reject(new EngineError('SBML_SUITE_WORKER', `${MAX_SILENT_DEATHS} workers in a row died before answering; last stderr:\n${stderr.trim()}`));
            return;
          }
        }
        if (queue.length > 0) startWorker();
        if (live === 0 && !failed) resolve(outcomes);
      });
      assign();
    };

    if (queue.length === 0) resolve(outcomes);
    for (let i = 0; i < Math.min(Math.max(1, options.jobs), queue.length); i++) startWorker();
  });
}
