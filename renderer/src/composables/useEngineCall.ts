import { ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { ApiArgs, ApiMethod, ApiResults } from '../../../engine/api/contract';
import { callEngine } from '../api/callEngine';
import { describeError, type ShownError } from '../api/errors';
import { useNoticesStore } from '../stores/notices';

export interface EngineCall<A extends unknown[], R> {
  readonly loading: Ref<boolean>;
  /** The last call's error (null while loading, after a success and after a cancel). */
  readonly error: ShallowRef<ShownError | null>;
  /** True when the last call ended because the person cancelled it (code CANCELLED): not an error to show. */
  readonly cancelled: Ref<boolean>;
  /** The last successful result. */
  readonly data: ShallowRef<R | null>;
  /** Runs the call; resolves to its result, or undefined when it failed, was cancelled or a newer call superseded it. */
  run(...args: A): Promise<R | undefined>;
  /** Forget the result and error; an answer still in flight is dropped. */
  reset(): void;
}

export interface EngineCallOptions<A extends unknown[] = unknown[]> {
  /** Also show failures in the global notice area, with this context ("Opening the project"), fixed or from the call's arguments. */
  readonly notify?: string | ((...args: A) => string);
  /**
   * What a call made while another is in flight does. 'latest' (default):
   * both run, and only the newer answer counts (as-you-type checks).
   * 'coalesce': one call at a time; calls made meanwhile collapse into one,
   * run with the last arguments once the current one has answered (refreshes
   * asked for faster than the engine answers them, e.g. after every generation).
   */
  readonly overlap?: 'latest' | 'coalesce';
}

/** The arguments of an engine method as one optional-or-required tuple. */
type MethodArgs<M extends ApiMethod> = [args?: ApiArgs<M>];

/**
 * The one way components and views call the engine: tracks loading, the
 * error to show in place (and, with `notify`, once in the notice area), a
 * cancel that is not an error, and which answer counts. Pass an engine
 * method name for a single call (`useEngineCall('models.get').run({ id })`)
 * or a function for work made of several calls.
 */
export function useEngineCall<M extends ApiMethod>(method: M, options?: EngineCallOptions<MethodArgs<M>>): EngineCall<MethodArgs<M>, ApiResults[M]>;
export function useEngineCall<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options?: EngineCallOptions<A>): EngineCall<A, R>;
export function useEngineCall<A extends unknown[], R>(target: ApiMethod | ((...args: A) => Promise<R>), options: EngineCallOptions<A> = {}): EngineCall<A, R> {
  const fn = typeof target === 'string' ? (((args?: ApiArgs<ApiMethod>) => callEngine(target, args)) as unknown as (...args: A) => Promise<R>) : target;
  const loading = ref(false);
  const error = shallowRef<ShownError | null>(null);
  const cancelled = ref(false);
  const data = shallowRef<R | null>(null) as ShallowRef<R | null>;
  let latest = 0;
  let busy = false;
  let pending: { args: A; resolve: (result: R | undefined) => void } | null = null;

  function context(args: A): string | undefined {
    return typeof options.notify === 'function' ? options.notify(...args) : options.notify;
  }

  async function execute(args: A): Promise<R | undefined> {
    const ticket = ++latest;
    loading.value = true;
    error.value = null;
    cancelled.value = false;
    try {
      const result = await fn(...args);
      if (ticket !== latest) return undefined;
      data.value = result;
      return result;
    } catch (err) {
      if (ticket !== latest) return undefined;
      const shown = describeError(err);
      // A cancel the person asked for is said by the control they used, not as an error.
      if (shown.code === 'CANCELLED') cancelled.value = true;
      else {
        error.value = shown;
        const notify = context(args);
        if (notify !== undefined) useNoticesStore().error(err, notify);
      }
      return undefined;
    } finally {
      if (ticket === latest) loading.value = false;
    }
  }

  async function drain(args: A): Promise<R | undefined> {
    busy = true;
    try {
      return await execute(args);
    } finally {
      busy = false;
      const next = pending;
      pending = null;
      if (next) void drain(next.args).then(next.resolve);
    }
  }

  function run(...args: A): Promise<R | undefined> {
    if (options.overlap !== 'coalesce') return execute(args);
    if (!busy) return drain(args);
    // Superseded before it started: its caller gets undefined, like a dropped answer.
    pending?.resolve(undefined);
    return new Promise((resolve) => {
      pending = { args, resolve };
    });
  }

  function reset(): void {
    latest++;
    pending?.resolve(undefined);
    pending = null;
    loading.value = false;
    error.value = null;
    cancelled.value = false;
    data.value = null;
  }

  return { loading, error, cancelled, data, run, reset };
}
