import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import {
  CTRL_FREED,
  CTRL_LENGTHS,
  CTRL_SIGNAL,
  RING_SLOT_COUNT,
  RING_SLOT_SIZE,
  WORKER_ALGORITHMS,
} from './ring-layout.js';

/** What a worker reports at the end of a job. */
export type WorkerReply =
  | { type: 'done'; id: number; digests: Record<string, string> }
  | { type: 'aborted'; id: number }
  | { type: 'failed'; id: number; message: string };

let scriptOverride: string | undefined;

/** Points the engine at another hash-worker.cjs (tests, unusual packaging); undefined restores the default. */
export function setHashWorkerScript(scriptPath: string | undefined): void {
  scriptOverride = scriptPath;
}

/**
 * Where hash-worker.cjs is at run time. Three cases:
 * - TS source under vitest, or an ESM bundle: `import.meta.url` names this module's file, and the
 *   worker sits next to it (in source; bundlers must copy it next to the bundle).
 * - The esbuild CJS bundles in dist/main/*.cjs: esbuild empties `import.meta` there, so we fall back
 *   to `__dirname`, and the build copies hash-worker.cjs next to the bundle.
 * - Packaged Electron: the file must be unpacked from the asar (workers cannot run from inside it).
 */
export function hashWorkerScript(): string {
  if (scriptOverride) return scriptOverride;
  const metaUrl = (import.meta as { url?: string } | undefined)?.url;
  const script = metaUrl ? fileURLToPath(new URL('./hash-worker.cjs', metaUrl)) : path.join(__dirname, 'hash-worker.cjs');
  // electron-builder unpacks the worker beside the archive (asarUnpack in electron-builder.yml).
  return script.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
}

/**
 * What one worker computes in a job: these digests over every byte, or with perSegment, restarted at
 * each segment marker and reported per kept segment (hash-worker.cjs).
 */
export interface WorkerJob {
  algorithms: readonly string[];
  perSegment?: boolean;
}

const DEFAULT_JOBS: readonly WorkerJob[] = WORKER_ALGORITHMS.map((algorithms) => ({ algorithms }));

/** Two workers sharing one ring: worker 0 computes MD5, worker 1 SHA-1 and SHA-256 (by default). */
export class WorkerPair {
  readonly ctrl: Int32Array;
  readonly data: Buffer;
  readonly slotSize = RING_SLOT_SIZE;
  readonly slotCount = RING_SLOT_COUNT;
  /** Set once a worker errors or exits; the pair is then never reused. */
  failure: Error | null = null;
  private readonly workers: Worker[];
  private nextJobId = 1;

  constructor(script: string) {
    const ctrlBuffer = new SharedArrayBuffer(4 * (CTRL_LENGTHS + RING_SLOT_COUNT));
    const dataBuffer = new SharedArrayBuffer(RING_SLOT_SIZE * RING_SLOT_COUNT);
    this.ctrl = new Int32Array(ctrlBuffer);
    this.data = Buffer.from(dataBuffer);
    this.workers = WORKER_ALGORITHMS.map((_, index) => {
      const worker = new Worker(script, {
        workerData: { ctrlBuffer, dataBuffer, slotSize: this.slotSize, slotCount: this.slotCount, index },
      });
      // A listener must exist at all times, or a worker error would crash the whole process.
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`hash worker exited with code ${code}`)));
      return worker;
    });
  }

  /**
   * Starts one job on both workers (the caller has reset the control array) and resolves with both
   * replies. By default worker 0 computes MD5 and worker 1 SHA-1 and SHA-256 of one file; an evidence
   * set passes its own split (see WorkerJob).
   */
  startJob(jobs: readonly WorkerJob[] = DEFAULT_JOBS): Promise<WorkerReply[]> {
    const id = this.nextJobId++;
    return Promise.all(
      this.workers.map((worker, index) => {
        const reply = this.awaitReply(worker, id);
        const job = jobs[index]!;
        worker.postMessage({ type: 'job', id, algorithms: job.algorithms, perSegment: job.perSegment ?? false });
        return reply;
      }),
    );
  }

  /** Wakes anything waiting on the ring, so a failure or cancellation is noticed at once. */
  wake(): void {
    Atomics.add(this.ctrl, CTRL_FREED, 1);
    Atomics.notify(this.ctrl, CTRL_FREED);
    Atomics.add(this.ctrl, CTRL_SIGNAL, 1);
    Atomics.notify(this.ctrl, CTRL_SIGNAL);
  }

  /** Keeps the process alive while a job runs; unref lets it exit while the pair sits idle. */
  setBusy(busy: boolean): void {
    for (const worker of this.workers) {
      if (busy) worker.ref();
      else worker.unref();
    }
  }

  /** Ends both workers; the pair is unusable afterwards. */
  async terminate(): Promise<void> {
    this.failure ??= new Error('hash workers terminated');
    await Promise.all(
      this.workers.map((worker) => {
        worker.removeAllListeners('exit');
        return worker.terminate();
      }),
    );
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.wake();
  }

  private awaitReply(worker: Worker, id: number): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      const onMessage = (msg: WorkerReply): void => {
        if (msg.id !== id) return;
        cleanup();
        resolve(msg);
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`hash worker exited with code ${code}`));
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }
}

// One idle pair is kept for the next file (an examiner often hashes many in a row); any other
// pair is ended when its job ends. The idle pair is ended after a minute of no work.
const MAX_IDLE_PAIRS = 1;
const IDLE_TIMEOUT_MS = 60_000;
const idlePairs: WorkerPair[] = [];
let idleTimer: NodeJS.Timeout | undefined;

/** A pair ready for one job: reused if one is idle, otherwise started now. */
export function acquirePair(): WorkerPair {
  let pair = idlePairs.pop();
  while (pair?.failure) pair = idlePairs.pop();
  if (!pair) {
    const script = hashWorkerScript();
    if (!fs.existsSync(script)) {
      throw new AppError(
        'INTERNAL',
        `The hashing worker script is missing at ${script}; the build must copy hash-worker.cjs next to the bundle.`,
      );
    }
    pair = new WorkerPair(script);
  }
  pair.setBusy(true);
  return pair;
}

/** Returns a pair after its job; a pair whose workers may still be busy or broken is ended instead. */
export function releasePair(pair: WorkerPair, reusable: boolean): void {
  pair.setBusy(false);
  if (!reusable || pair.failure || idlePairs.length >= MAX_IDLE_PAIRS) {
    void pair.terminate();
    return;
  }
  idlePairs.push(pair);
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void shutdownHashWorkers(), IDLE_TIMEOUT_MS);
  idleTimer.unref();
}

/** Ends idle hash workers now (app shutdown, tests); running jobs keep theirs. */
export async function shutdownHashWorkers(): Promise<void> {
  clearTimeout(idleTimer);
  const pairs = idlePairs.splice(0);
  await Promise.all(pairs.map((pair) => pair.terminate()));
}
