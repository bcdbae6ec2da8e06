/**
 * A small pool of worker threads for the CPU-heavy work of activities: synthetic chunks and model fits.
 * The worker's activities share one JavaScript thread, so without it two chunks "in parallel" would
 * take turns on one core, and a long fit would block every other activity's heartbeat (and its own).
 * Each thread loads thread-tasks (TypeScript through tsx when running from source, compiled JavaScript
 * from dist/).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { ConfigError, DataError, type DataLocation } from '../../core/errors.js';
import type { ThreadTaskInput, ThreadTaskKind, ThreadTaskResult } from './thread-tasks.js';

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  const { threadTasks } = await import(workerData.taskUrl);
  parentPort.on('message', async ({ id, kind, task }) => {
    try {
      parentPort.postMessage({ id, result: await threadTasks[kind](task) });
    } catch (err) {
      parentPort.postMessage({ id, error: { name: err && err.name, message: String(err && err.message), location: err && err.location, field: err && err.field } });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((err) => { throw err; });
`;

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

/** Runs tasks on up to `size` threads, first come first served. */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: { kind: ThreadTaskKind; task: unknown; pending: Pending }[] = [];
  private readonly pending = new Map<number, { pending: Pending; slot: Slot }>();
  private nextId = 0;

  constructor(private readonly size: number) {}

  /** Runs one task of the given kind on a free thread. */
  run<K extends ThreadTaskKind>(kind: K, task: ThreadTaskInput<K>): Promise<ThreadTaskResult<K>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind, task, pending: { resolve: resolve as (r: unknown) => void, reject } });
      this.dispatch();
    });
  }

  /**
   * Starts every thread now, so the first chunks of the first run do not wait for module loading
   * (a second or more per thread when running from TypeScript source). Safe to call repeatedly.
   */
  warm(): void {
    while (this.slots.length < this.size) this.spawn();
  }

  /** Stops every thread; tasks in flight fail. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot =
        this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const next = this.queue.shift()!;
      const id = this.nextId++;
      slot.busy = true;
      // A task in flight keeps the process alive (its caller awaits it); an idle thread does not.
      slot.worker.ref();
      this.pending.set(id, { pending: next.pending, slot });
      slot.worker.postMessage({ id, kind: next.kind, task: next.task });
    }
  }

  private spawn(): Slot {
    // SHARE_ENV: tasks read keys and credentials from the environment as it is now, not as it was
    // when the thread started.
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: threadData(), env: SHARE_ENV });
    const slot: Slot = { worker, busy: false };
    worker.on(
      'message',
      (msg: { id?: number; result?: unknown; error?: SerializedError; ready?: boolean }) => {
        if (msg.id === undefined) return;
        const entry = this.pending.get(msg.id);
        if (!entry) return;
        this.pending.delete(msg.id);
        slot.busy = false;
        slot.worker.unref();
        if (msg.error) entry.pending.reject(revive(msg.error));
        else entry.pending.resolve(msg.result);
        this.dispatch();
      },
    );
    worker.on('error', (err) => this.retire(slot, err));
    worker.on('exit', (code) => this.retire(slot, new Error(`pool thread exited with code ${code}`)));
    // Idle threads must not keep a finished process alive; after the listeners, since adding a
    // 'message' listener refs the thread's port again.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** A dead thread fails its task (the activity retries it) and leaves the pool. */
  private retire(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    for (const [id, entry] of this.pending) {
      if (entry.slot !== slot) continue;
      this.pending.delete(id);
      entry.pending.reject(err);
    }
    this.dispatch();
  }
}

interface SerializedError {
  name?: string;
  message: string;
  location?: DataLocation;
  field?: string;
}

/**
 * Domain errors keep their class, field and location across the thread boundary, so they still map to
 * non-retryable failures that name the place at fault.
 */
function revive(e: SerializedError): Error {
  if (e.name === 'DataError') {
    const location = e.location ?? {};
    return new DataError(withoutPrefix(e.message, new DataError('', location).message), location);
  }
  if (e.name === 'ConfigError')
    return new ConfigError(withoutPrefix(e.message, new ConfigError('', e.field).message), e.field);
  const err = new Error(e.message);
  err.name = e.name ?? 'Error';
  return err;
}

/** The message without the place prefix its error class adds again (`field: ` or `file, line 3: `). */
function withoutPrefix(message: string, prefix: string): string {
  return prefix !== '' && message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function threadData(): { taskUrl: string; tsxApi?: string } {
  const js = new URL('./thread-tasks.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { taskUrl: js.href };
  const ts = new URL('./thread-tasks.ts', import.meta.url);
  // tsx's ESM entry (its CommonJS one cannot register the ESM loader inside an eval'd thread).
  const tsxPackage = createRequire(import.meta.url).resolve('tsx/package.json');
  const tsxApi = pathToFileURL(path.join(path.dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  return { taskUrl: ts.href, tsxApi };
}

let shared: ThreadPool | undefined;

/** The process-wide pool: `UNDERSTUDY_SYNTH_THREADS` threads, by default one per core (at most 8). */
export function sharedThreadPool(): ThreadPool {
  const size = Number(process.env.UNDERSTUDY_SYNTH_THREADS ?? Math.min(8, os.availableParallelism()));
  shared ??= new ThreadPool(Math.max(1, size));
  return shared;
}
