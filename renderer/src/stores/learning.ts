import { defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';
import type { ApiArgs, EngineEvent, LearnEpochEvent, LearnFinishedEvent, NetworkListItem, TaskProgressEvent } from '../../../engine/api/contract';
import { callEngine, onEngineEvent } from '../api/callEngine';
import { useEngineCall } from '../composables/useEngineCall';

/** One training as the UI follows it: simulation progress, then one entry per epoch, then how it ended. */
export interface LearnTask {
  readonly taskId: number;
  /** The settings it was started with (the chart's x axis spans `epochs`). */
  readonly architecture: string;
  readonly epochs: number;
  readonly train: number;
  /** Progress of simulating the training set (task `learn:<taskId>`). */
  progress: TaskProgressEvent | null;
  epochList: LearnEpochEvent[];
  finished: LearnFinishedEvent | null;
  /** performance.now() when the training was started here (elapsed time ticks from there). */
  startedAt: number;
  /** performance.now() when it finished (elapsed time stops). */
  endedAt: number | null;
}

const TASK = /^learn:(\d+)$/;

/**
 * Learned summary statistics: the TensorFlow.js backend, the project's
 * networks, and the trainings started from this window, filled from the
 * engine's learn.epoch, learn.finished and task.progress events (kept per
 * task id, so events that arrive before learn.train has answered are not lost).
 */
export const useLearningStore = defineStore('learning', () => {
  const backend = ref<string | null>(null);
  const backendCall = useEngineCall('learn.backend');
  /** Why the backend could not be read (the panel says it in place). */
  const backendError = computed(() => backendCall.error.value?.message ?? null);
  const networks = ref<NetworkListItem[]>([]);
  const tasks = reactive(new Map<number, LearnTask>());
  /** The training the panel shows. */
  const activeTaskId = ref<number | null>(null);
  let unsubscribe: (() => void) | null = null;

  function entry(taskId: number, init?: Pick<LearnTask, 'architecture' | 'epochs' | 'train'>): LearnTask {
    let task = tasks.get(taskId);
    if (!task) {
      tasks.set(taskId, {
        taskId,
        architecture: init?.architecture ?? '',
        epochs: init?.epochs ?? 0,
        train: init?.train ?? 0,
        progress: null,
        epochList: [],
        finished: null,
        startedAt: performance.now(),
        endedAt: null,
      });
      task = tasks.get(taskId)!;
    } else if (init) {
      // Events came first: keep them, fill in the settings.
      tasks.set(taskId, { ...task, ...init });
      task = tasks.get(taskId)!;
    }
    return task;
  }

  function handle(event: EngineEvent): void {
    if (event.type === 'learn.epoch') {
      const task = entry(event.taskId);
      task.epochList.push(event);
    } else if (event.type === 'learn.finished') {
      const task = entry(event.taskId);
      task.finished = event;
      task.endedAt = performance.now();
      if (event.backend) backend.value = event.backend;
      void networksRefresh.run();
    } else if (event.type === 'task.progress') {
      const m = TASK.exec(event.task);
      if (m) entry(Number(m[1])).progress = event;
    } else if (event.type === 'project.changed') {
      tasks.clear();
      activeTaskId.value = null;
      networks.value = [];
      if (event.project) void networksRefresh.run();
    }
  }

  /** Subscribe to the engine's events (idempotent). */
  function listen(): void {
    unsubscribe ??= onEngineEvent(handle);
  }

  async function loadBackend(): Promise<void> {
    if (backend.value !== null) return;
    const answer = await backendCall.run();
    if (answer) backend.value = answer.backend;
  }

  async function refreshNetworks(): Promise<void> {
    networks.value = await callEngine('learn.networks');
  }
  /** Refreshes after engine events: the latest answer counts; a failure leaves the list as it was. */
  const networksRefresh = useEngineCall(refreshNetworks);

  /** Start training for a stored study; returns the task id. */
  async function train(args: ApiArgs<'learn.train'>): Promise<number> {
    listen();
    const { taskId } = await callEngine('learn.train', args);
    entry(taskId, { architecture: args.architecture ?? 'cnn', epochs: args.epochs ?? 50, train: args.train ?? 2000 });
    activeTaskId.value = taskId;
    return taskId;
  }

  async function cancel(taskId: number): Promise<void> {
    await callEngine('learn.cancel', { taskId });
  }

  listen();

  return { backend, backendError, networks, tasks, activeTaskId, listen, loadBackend, refreshNetworks, train, cancel };
});
