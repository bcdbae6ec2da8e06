/**
 * What a worker thread of the pool can run (see thread-pool.ts): the thread imports this module and
 * calls the task its message names. Each task reads its inputs from files or plain data, so only
 * paths, numbers and JSON-shaped values cross the thread boundary.
 */
import { runChunkTask } from './chunk-task.js';
import { runFitRelationalTask, runFitTask } from './fit-task.js';

/** The tasks a pool thread runs, by kind. */
export const threadTasks = {
  chunk: runChunkTask,
  fit: runFitTask,
  fitRelational: runFitRelationalTask,
};

/** The kinds of task a pool thread runs. */
export type ThreadTaskKind = keyof typeof threadTasks;
/** The input of a task of kind K. */
export type ThreadTaskInput<K extends ThreadTaskKind> = Parameters<(typeof threadTasks)[K]>[0];
/** The result of a task of kind K. */
export type ThreadTaskResult<K extends ThreadTaskKind> = Awaited<ReturnType<(typeof threadTasks)[K]>>;
