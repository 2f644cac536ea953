import { ApiStateError } from '../wire.js';

/** Wall time a preview may take before it is stopped (a preview is for a quick look; runs have no such limit). */
export const PREVIEW_TIME_LIMIT_MS = 120_000;

/**
 * The previews in progress, by the id their caller chose: one at a time per
 * id, each cancellable (simulate.cancel) and stopped at a wall-time limit.
 */
export class PreviewTasks {
  private readonly active = new Map<string, AbortController>();
  private anonymous = 0;

  constructor(private readonly timeLimitMs: number = PREVIEW_TIME_LIMIT_MS) {}

  /** Run one preview with its cancel (by id) and its time limit; a preview past the limit fails with TIME_LIMIT. */
  async run<T>(previewId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (previewId !== undefined && this.active.has(previewId)) throw new ApiStateError('BUSY', `a preview "${previewId}" is already running`, { previewId });
    const controller = new AbortController();
    // Anonymous previews cannot be cancelled by id, but close() still stops them.
    const key = previewId ?? `\u0000anonymous-${++this.anonymous}`;
    this.active.set(key, controller);
    const limit = this.timeLimitMs;
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(limit)]);
    try {
      return await work(signal);
    } catch (error) {
      if (signal.aborted && !controller.signal.aborted) {
        throw new ApiStateError('TIME_LIMIT', `the preview took longer than ${limit / 1000} s and was stopped: simulate fewer runs or a shorter time`, {
          seconds: limit / 1000,
        });
      }
      throw error;
    } finally {
      this.active.delete(key);
    }
  }

  /** Cancel the preview `previewId`; false when none by that id is running. */
  cancel(previewId: string): boolean {
    const controller = this.active.get(previewId);
    controller?.abort();
    return controller !== undefined;
  }

  cancelAll(): void {
    for (const controller of this.active.values()) controller.abort();
  }
}
