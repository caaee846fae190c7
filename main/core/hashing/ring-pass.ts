import { AppError } from '../../../shared/errors.js';
import { cancelled } from './cancel.js';
import { CopyWriter } from './copy-writer.js';
import { assertUnchanged, readFull, type SourceFile } from './file-io.js';
import type { DestFile, HashOptions, HashResult } from './pass-types.js';
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
} from './ring-layout.js';
import { acquirePair, releasePair, type WorkerPair, type WorkerReply } from './worker-pool.js';

type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: boolean; value: Promise<string> | string };
// Atomics.waitAsync is in Node 16+ but in TypeScript's ES2024 lib only; this project targets ES2023.
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

// A safety net only: every state change also notifies, so waits normally end at once.
const WAIT_SLICE_MS = 250;
// After a failure, how long workers get to acknowledge the abort before the pair is ended.
const ABORT_GRACE_MS = 5_000;

function publish(pair: WorkerPair, index: number, value: number): void {
  Atomics.store(pair.ctrl, index, value);
  Atomics.add(pair.ctrl, CTRL_SIGNAL, 1);
  Atomics.notify(pair.ctrl, CTRL_SIGNAL);
}

function workerFailure(err: unknown): AppError {
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError('INTERNAL', `The hashing worker failed: ${detail}`, { cause: err });
}

/**
 * Hashes (and optionally copies) a file through the worker ring: this thread reads each slot with
 * fs.read, worker 0 computes MD5 and worker 1 SHA-1 + SHA-256 from the same bytes, and the copy is
 * written from the slot too. A slot is refilled only after every consumer is done with it, so memory
 * stays at the ring's size whatever the file's.
 */
export async function ringPass(src: SourceFile, dest: DestFile | null, opts: HashOptions): Promise<HashResult> {
  const pair = acquirePair();
  const { ctrl, data, slotSize, slotCount } = pair;
  const signal = opts.signal;
  const onAbort = (): void => pair.wake();
  signal?.addEventListener('abort', onAbort);

  // The copy is written from the same slots, so a slot is also held until the writer is past it.
  const writer = dest ? new CopyWriter(dest, () => pair.wake()) : null;

  const throwIfStopped = (): void => {
    if (signal?.aborted) throw cancelled(src.path);
    if (writer?.error) throw writer.error;
    if (pair.failure) throw workerFailure(pair.failure);
  };

  // Waits until slot `chunk % slotCount` is free: both workers and the writer are past chunk - slotCount.
  const waitForSlot = async (chunk: number): Promise<void> => {
    for (;;) {
      throwIfStopped();
      const freed = Atomics.load(ctrl, CTRL_FREED);
      const slowest = Math.min(
        Atomics.load(ctrl, CTRL_CONSUMED),
        Atomics.load(ctrl, CTRL_CONSUMED + 1),
        writer ? writer.written : Number.POSITIVE_INFINITY,
      );
      if (chunk - slowest < slotCount) return;
      const wait = waitAsync(ctrl, CTRL_FREED, freed, WAIT_SLICE_MS);
      if (wait.async) await wait.value;
    }
  };

  ctrl.fill(0);
  Atomics.store(ctrl, CTRL_STATE, STATE_RUNNING);
  const replies = pair.startJob();
  // Observed here so a rejection while the read loop runs is never reported as unhandled.
  replies.catch(() => undefined);

  let reusable = false;
  try {
    let position = 0;
    let chunk = 0;
    while (position < src.size) {
      await waitForSlot(chunk);
      const slot = chunk % slotCount;
      const view = data.subarray(slot * slotSize, (slot + 1) * slotSize);
      const want = Math.min(slotSize, src.size - position);
      const got = await readFull(src, view, want, position);
      throwIfStopped();
      if (got === 0) break;
      Atomics.store(ctrl, CTRL_LENGTHS + slot, got);
      writer?.enqueue(view.subarray(0, got), position);
      position += got;
      chunk += 1;
      publish(pair, CTRL_PRODUCED, chunk);
      opts.onProgress?.(position, src.size);
      if (got < want) break;
    }
    await assertUnchanged(src, position);
    publish(pair, CTRL_STATE, STATE_ENDED);

    let settled: WorkerReply[];
    try {
      settled = await replies;
    } catch (err) {
      throw workerFailure(err);
    }
    await writer?.settled();
    throwIfStopped();
    const [md5Reply, shaReply] = settled;
    if (md5Reply?.type !== 'done' || shaReply?.type !== 'done') {
      const failed = settled.find((r) => r.type === 'failed');
      throw workerFailure(failed?.type === 'failed' ? failed.message : 'a worker stopped before the end');
    }
    reusable = true;
    return {
      size: position,
      md5: digestOf(md5Reply.digests, 'md5'),
      sha1: digestOf(shaReply.digests, 'sha1'),
      sha256: digestOf(shaReply.digests, 'sha256'),
    };
  } catch (err) {
    publish(pair, CTRL_STATE, STATE_ABORTED);
    reusable = await settlesWithin(replies, ABORT_GRACE_MS);
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Never hand the destination back to the caller while a write into it is still running.
    await writer?.settled();
    releasePair(pair, reusable);
  }
}

function digestOf(digests: Record<string, string>, name: string): string {
  const hex = digests[name];
  if (!hex) throw workerFailure(`no ${name} digest came back`);
  return hex;
}

/** True when the workers acknowledged (done or aborted) in time, so the pair may serve another job. */
async function settlesWithin(replies: Promise<WorkerReply[]>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([replies.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
