import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { describeError, type ShownError } from '../api/errors'
import { useNoticesStore } from '../stores/notices'

export interface EngineCall<A extends unknown[], R> {
  readonly loading: Ref<boolean>
  /** The last call's error (null while loading and after a success). */
  readonly error: ShallowRef<ShownError | null>
  /** The last successful result. */
  readonly data: ShallowRef<R | null>
  /** Runs the call; resolves to its result, or undefined when it failed or a newer call superseded it. */
  run(...args: A): Promise<R | undefined>
  reset(): void
}

export interface EngineCallOptions {
  /** Also show failures in the global notice area, with this context ("Opening the project"). */
  readonly notify?: string
}

/**
 * Tracks loading and error for one kind of engine call. Only the latest call
 * counts: a slow earlier answer never overwrites a newer one (as-you-type checks).
 */
export function useEngineCall<A extends unknown[], R>(fn: (...args: A) => Promise<R>, options: EngineCallOptions = {}): EngineCall<A, R> {
  const loading = ref(false)
  const error = shallowRef<ShownError | null>(null)
  const data = shallowRef<R | null>(null) as ShallowRef<R | null>
  let latest = 0

  async function run(...args: A): Promise<R | undefined> {
    const ticket = ++latest
    loading.value = true
    error.value = null
    try {
      const result = await fn(...args)
      if (ticket !== latest) return undefined
      data.value = result
      return result
    } catch (err) {
      if (ticket !== latest) return undefined
      error.value = describeError(err)
      if (options.notify !== undefined) useNoticesStore().error(err, options.notify)
      return undefined
    } finally {
      if (ticket === latest) loading.value = false
    }
  }

  function reset(): void {
    latest++
    loading.value = false
    error.value = null
    data.value = null
  }

  return { loading, error, data, run, reset }
}
