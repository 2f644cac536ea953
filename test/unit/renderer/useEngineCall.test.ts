import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineCallError } from '../../../renderer/src/api/client';
import { useEngineCall } from '../../../renderer/src/composables/useEngineCall';
import { useNoticesStore } from '../../../renderer/src/stores/notices';

// The renderer's client reads window.sciope (declared in renderer/src/env.d.ts, which the Node
// tsconfig of the tests does not include); the same declaration here lets this file typecheck there.
declare global {
  interface Window {
    readonly sciope?: import('../../../engine/api/contract').PreloadBridge;
  }
}

/** A promise the test settles by hand, to order answers as a slow engine would. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const engineError = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new EngineCallError({ name: 'EngineError', code, message, details });

describe('useEngineCall', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('tracks loading and keeps the result', async () => {
    const call = useEngineCall(async (x: number) => x * 2);
    const pending = call.run(21);
    expect(call.loading.value).toBe(true);
    expect(await pending).toBe(42);
    expect(call.loading.value).toBe(false);
    expect(call.data.value).toBe(42);
    expect(call.error.value).toBeNull();
  });

  it('lets only the latest call count: a slow earlier answer never overwrites a newer one', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let i = 0;
    const call = useEngineCall(() => answers[i++].promise);
    const first = call.run();
    const second = call.run();
    answers[1].resolve('new');
    expect(await second).toBe('new');
    answers[0].resolve('old');
    expect(await first).toBeUndefined();
    expect(call.data.value).toBe('new');
    expect(call.loading.value).toBe(false);
  });

  it('shows an error in place with its field issues, and in the notice area only when asked, once', async () => {
    const failing = () => Promise.reject(engineError('VALIDATION', 'Invalid model\nspecies.0: bad', { issues: [{ path: 'species.0', message: 'bad' }] }));
    const quiet = useEngineCall(failing);
    expect(await quiet.run()).toBeUndefined();
    expect(quiet.error.value).toMatchObject({ message: 'Invalid model', code: 'VALIDATION', issues: [{ path: 'species.0', message: 'bad' }] });
    const notices = useNoticesStore();
    expect(notices.notices).toHaveLength(0);

    const loud = useEngineCall((name: string) => failing().then(() => name), { notify: (name) => `Saving ${name}` });
    await loud.run('m1');
    expect(notices.notices).toHaveLength(1);
    expect(notices.notices[0]).toMatchObject({ kind: 'error', context: 'Saving m1' });
    // A success clears the error shown in place.
    const flaky = useEngineCall(async (fail: boolean) => (fail ? failing() : 'ok'));
    await flaky.run(true);
    expect(flaky.error.value).not.toBeNull();
    await flaky.run(false);
    expect(flaky.error.value).toBeNull();
  });

  it('says a cancel by the cancelled flag, not as an error or a notice', async () => {
    const call = useEngineCall(() => Promise.reject(engineError('CANCELLED', 'This operation was aborted')), { notify: 'Previewing' });
    expect(await call.run()).toBeUndefined();
    expect(call.cancelled.value).toBe(true);
    expect(call.error.value).toBeNull();
    expect(useNoticesStore().notices).toHaveLength(0);
  });

  it('leaves an unreachable engine to the connection banner (no notice), but shows it in place', async () => {
    const call = useEngineCall(() => Promise.reject(engineError('ENGINE_UNREACHABLE', 'The engine is not reachable.')), { notify: 'Loading' });
    await call.run();
    expect(call.error.value?.code).toBe('ENGINE_UNREACHABLE');
    expect(useNoticesStore().notices).toHaveLength(0);
  });

  it('coalesces: one call in flight, the calls made meanwhile run once with the last arguments', async () => {
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred<number>>>();
    const call = useEngineCall(
      (n: number) => {
        started.push(n);
        const gate = deferred<number>();
        gates.set(n, gate);
        return gate.promise;
      },
      { overlap: 'coalesce' },
    );
    const a = call.run(1);
    const b = call.run(2);
    const c = call.run(3);
    expect(started).toEqual([1]);
    // b was superseded by c before it started.
    expect(await b).toBeUndefined();
    gates.get(1)!.resolve(10);
    expect(await a).toBe(10);
    await Promise.resolve();
    expect(started).toEqual([1, 3]);
    gates.get(3)!.resolve(30);
    expect(await c).toBe(30);
    expect(call.data.value).toBe(30);
  });

  it('reset drops the answer in flight and what was shown', async () => {
    const gate = deferred<string>();
    const call = useEngineCall(() => gate.promise);
    const pending = call.run();
    call.reset();
    expect(call.loading.value).toBe(false);
    gate.resolve('late');
    expect(await pending).toBeUndefined();
    expect(call.data.value).toBeNull();
  });
});
