import { defineStore } from 'pinia';
import { ref } from 'vue';
import { describeError, type ShownError } from '../api/errors';

export interface Notice {
  readonly id: number;
  readonly kind: 'error' | 'info' | 'success';
  /** What the user was doing ("Opening the project"), shown before the message. */
  readonly context: string | null;
  readonly error: ShownError;
}

/** The global notice area: errors from any view, and short confirmations. */
export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let next = 0;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  function push(kind: Notice['kind'], error: ShownError, context: string | null = null): number {
    const id = ++next;
    notices.value = [...notices.value.slice(-4), { id, kind, context, error }];
    // Confirmations fade on their own; errors stay until dismissed.
    if (kind !== 'error')
      timers.set(
        id,
        setTimeout(() => dismiss(id), 4000),
      );
    return id;
  }

  /** Returns the notice's id, or 0 when nothing is shown. */
  function error(err: unknown, context: string | null = null): number {
    const shown = describeError(err);
    // An unreachable engine is said once, by the connection banner (the client marks the link lost), not by every call that failed.
    if (shown.code === 'ENGINE_UNREACHABLE') return 0;
    return push('error', shown, context);
  }

  function info(message: string, kind: 'info' | 'success' = 'success'): number {
    return push(kind, { message, code: null, issues: [], problems: [] });
  }

  function dismiss(id: number): void {
    clearTimeout(timers.get(id));
    timers.delete(id);
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function clear(): void {
    for (const n of notices.value) dismiss(n.id);
  }

  return { notices, push, error, info, dismiss, clear };
});
