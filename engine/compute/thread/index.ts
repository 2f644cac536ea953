/** engine/compute/thread: the engine's heavy tasks (training, embeddings, label spreading, GP fits) on worker threads or in-thread. */
export {
  computeTasks,
  COMPUTE_TASK_NAMES,
  type ComputeTaskTypes,
  type ComputeTaskName,
  type TaskInput,
  type TaskOutput,
  type TaskProgress,
  type TaskContext,
} from './computeTasks.js';
export { inThreadCompute, type ComputeRunner, type RunTaskOptions } from './ComputeRunner.js';
export { ComputeThreads, ComputeThreadError, type ComputeThreadsOptions } from './ComputeThreads.js';
export { serialiseError, reviveError, type SerialisedError } from './taskErrors.js';
