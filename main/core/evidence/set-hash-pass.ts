/**
 * Hashes the segments of an evidence set off this thread: this thread reads each segment into the
 * hashing ring (ring-layout.ts) and writes the copy, while the hash workers (hash-worker.cjs) compute,
 * worker 0 each segment's MD5/SHA-1/SHA-256 and worker 1 the set's combined ones, from the same slots. At
 * most RING_SLOT_COUNT chunks are in flight, whatever the set's size.
 */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors.js';
import type { Hashes } from '../../../shared/types.js';
import { cancelled } from '../hashing/cancel.js';
import { assertUnchanged, readFull, writeAll, type SourceFile } from '../hashing/file-io.js';
import {
  CTRL_CONSUMED,
  CTRL_FREED,
  CTRL_LENGTHS,
  CTRL_PRODUCED,
  CTRL_SIGNAL,
  CTRL_STATE,
  STATE_ABORTED,
  STATE_ENDED,
  STATE_RUNNING,
} from '../hashing/ring-layout.js';
import { hashWorkerScript, WorkerPair, type WorkerJob, type WorkerReply } from '../hashing/worker-pool.js';

// Slot lengths that carry no bytes; hash-worker.cjs repeats these values.
const SEGMENT_END = -1;
const SEGMENT_DROP = -2;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: boolean; value: Promise<string> | string };
// Atomics.waitAsync is in Node 16+ but in TypeScript's ES2024 lib only; this project targets ES2023.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
// A safety net only: every state change also notifies.
const WAIT_SLICE_MS = 250;

const TRIPLE = ['md5', 'sha1', 'sha256'] as const;
/** Worker 0: each segment's digests; worker 1: the whole set's. */
const SET_JOBS: readonly WorkerJob[] = [
  { algorithms: TRIPLE, perSegment: true },
  { algorithms: TRIPLE },
];

function workerFailure(err: unknown): AppError {
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError('INTERNAL', `The hashing worker failed: ${detail}`, { cause: err });
}

/** One set pass: feed segments in order with `segment`, then `finish` (or `abort` on any failure). */
export class SetHashPass {
  private readonly pair: WorkerPair;
  private readonly replies: Promise<WorkerReply[]>;
  private chunk = 0;
  private ended = 0;
  private readonly onAbort = (): void => this.pair.wake();

  constructor(private readonly signal?: AbortSignal) {
    const script = hashWorkerScript();
    if (!fs.existsSync(script)) {
      throw new AppError('INTERNAL', `The hashing worker script is missing at ${script}; the build must copy hash-worker.cjs next to the bundle.`);
    }
    this.pair = new WorkerPair(script);
    this.pair.ctrl.fill(0);
    Atomics.store(this.pair.ctrl, CTRL_STATE, STATE_RUNNING);
    this.replies = this.pair.startJob(SET_JOBS);
    // Observed here so a rejection while segments are read is never reported as unhandled.
    this.replies.catch(() => undefined);
    signal?.addEventListener('abort', this.onAbort);
  }

  /**
   * Reads `src` into the ring (and writes it to `out` when given); returns its size. Its digests are
   * kept only when it was read to the end unchanged; otherwise the segment is dropped and this rethrows.
   */
  async segment(src: SourceFile, out: { handle: fs.promises.FileHandle; path: string } | null, onBytes?: (done: number) => void): Promise<number> {
    const { data, slotSize } = this.pair;
    let pos = 0;
    try {
      for (;;) {
        this.throwIfStopped(src.path);
        await this.waitForSlot(src.path);
        const slot = this.chunk % this.pair.slotCount;
        const view = data.subarray(slot * slotSize, (slot + 1) * slotSize);
        const n = await readFull(src, view, Math.min(slotSize, src.size - pos), pos);
        if (n === 0) break;
        this.publishChunk(slot, n);
        // Awaited before the next read, so the slot is never refilled while this write uses it.
        if (out) await writeAll(out.handle, out.path, view.subarray(0, n), pos);
        pos += n;
        onBytes?.(pos);
        if (pos >= src.size) break;
      }
      await assertUnchanged(src, pos);
      await this.marker(src.path, SEGMENT_END);
      this.ended += 1;
      return pos;
    } catch (err) {
      if (!this.pair.failure) await this.marker(src.path, SEGMENT_DROP).catch(() => undefined);
      throw err;
    }
  }

  /** Ends the pass: the combined hashes and, in order, the hashes of every segment that was kept. */
  async finish(): Promise<{ combined: Hashes; segments: Hashes[] }> {
    this.publish(CTRL_STATE, STATE_ENDED);
    let settled: WorkerReply[];
    try {
      settled = await this.replies;
    } catch (err) {
      await this.close();
      throw workerFailure(err);
    }
    await this.close();
    const [segReply, allReply] = settled;
    if (segReply?.type !== 'done' || allReply?.type !== 'done') {
      const failed = settled.find((r) => r.type === 'failed');
      throw workerFailure(failed?.type === 'failed' ? failed.message : 'a worker stopped before the end');
    }
    const segments: Hashes[] = [];
    for (let i = 0; i < this.ended; i += 1) segments.push(pick(segReply.digests, `${i}.`));
    return { combined: pick(allReply.digests, ''), segments };
  }

  /** Stops the workers after a failure or cancellation; safe to call more than once. */
  async abort(): Promise<void> {
    this.publish(CTRL_STATE, STATE_ABORTED);
    await this.close();
  }

  private async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.pair.terminate();
  }

  private throwIfStopped(file: string): void {
    if (this.signal?.aborted) throw cancelled(file);
    if (this.pair.failure) throw workerFailure(this.pair.failure);
  }

  private async marker(file: string, value: number): Promise<void> {
    await this.waitForSlot(file);
    this.publishChunk(this.chunk % this.pair.slotCount, value);
  }

  private publishChunk(slot: number, length: number): void {
    Atomics.store(this.pair.ctrl, CTRL_LENGTHS + slot, length);
    this.chunk += 1;
    this.publish(CTRL_PRODUCED, this.chunk);
  }

  private publish(index: number, value: number): void {
    const { ctrl } = this.pair;
    Atomics.store(ctrl, index, value);
    Atomics.add(ctrl, CTRL_SIGNAL, 1);
    Atomics.notify(ctrl, CTRL_SIGNAL);
  }

  // Waits until the next slot is free: both workers are past the chunk it held.
  private async waitForSlot(file: string): Promise<void> {
    const { ctrl, slotCount } = this.pair;
    for (;;) {
      this.throwIfStopped(file);
      const freed = Atomics.load(ctrl, CTRL_FREED);
      const slowest = Math.min(Atomics.load(ctrl, CTRL_CONSUMED), Atomics.load(ctrl, CTRL_CONSUMED + 1));
      if (this.chunk - slowest < slotCount) return;
      const wait = waitAsync(ctrl, CTRL_FREED, freed, WAIT_SLICE_MS);
      if (wait.async) await wait.value;
    }
  }
}

function pick(digests: Record<string, string>, prefix: string): Hashes {
  const get = (name: string): string => {
    const hex = digests[prefix + name];
    if (!hex) throw workerFailure(`no ${name} digest came back`);
    return hex;
  };
  return { md5: get('md5'), sha1: get('sha1'), sha256: get('sha256') };
}
