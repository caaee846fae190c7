/**
 * An incremental MD5 + SHA-1 + SHA-256 hasher: "hash these bytes, in this order", off the main
 * thread. The hashing engine in core/hashing/ hashes files it reads itself and exports no
 * incremental API, so the snapshot imager carries this small one until it does (see
 * docs/ebs-imaging.md). Same split as that engine: one worker computes MD5, the other SHA-1 and
 * SHA-256 (MD5 alone is about as slow as the two SHAs together), so the main thread keeps its time
 * for HTTP, checksum checks and writes.
 *
 * Runs of zeros (sparse holes) are sent as a length: each worker feeds its own zero buffer
 * repeatedly, so a 1 TiB hole costs no memory and no copying.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/errors.js';
import type { Hashes } from '../../../../shared/types.js';

// Plain CommonJS evaluated in the worker: no file to locate next to a bundle or outside an asar.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = workerData.algorithms.map((name) => createHash(name));
const ring = new Uint8Array(workerData.ring);
const zero = Buffer.alloc(workerData.zeroChunk);
parentPort.on('message', (msg) => {
  try {
    if (msg.type === 'data') {
      const view = ring.subarray(msg.offset, msg.offset + msg.length);
      for (const h of hashes) h.update(view);
      parentPort.postMessage({ type: 'ack', bytes: msg.length, ring: msg.ringBytes });
    } else if (msg.type === 'zeros') {
      for (let left = msg.length; left > 0; left -= zero.length) {
        const view = left >= zero.length ? zero : zero.subarray(0, left);
        for (const h of hashes) h.update(view);
      }
      parentPort.postMessage({ type: 'ack', bytes: msg.length, ring: 0 });
    } else if (msg.type === 'end') {
      const digests = {};
      workerData.algorithms.forEach((name, i) => { digests[name] = hashes[i].digest('hex'); });
      parentPort.postMessage({ type: 'done', digests });
    }
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) });
  }
});
`;

const ALGORITHMS = [['md5'], ['sha1', 'sha256']] as const;
/** Size of the shared ring that carries bytes to the workers: the hasher's whole data memory. */
const DEFAULT_RING_BYTES = 32 * 1024 * 1024;
/** A chunk is copied into the ring in pieces of at most this size. */
const MAX_PIECE_BYTES = 4 * 1024 * 1024;
/** A zero run is sent in pieces of this size, so backpressure and progress also work inside holes. */
const ZERO_MESSAGE_BYTES = 8 * 1024 * 1024;
const ZERO_CHUNK = 1024 * 1024;

type Reply =
  | { type: 'ack'; bytes: number; ring: number }
  | { type: 'done'; digests: Record<string, string> }
  | { type: 'failed'; message: string };

/** MD5, SHA-1 and SHA-256 over bytes fed in order, on two worker threads. Calls must not overlap (await each). */
export class MultiHasher {
  private readonly workers: Worker[];
  private readonly acked: number[];
  private readonly ringAcked: number[];
  private readonly digests: Record<string, string>[] = [];
  private readonly ring: Uint8Array;
  /** Ring bytes used since the start (monotonic; includes tails skipped to keep a piece contiguous). */
  private ringUsed = 0;
  private posted = 0;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(private readonly ringBytes = DEFAULT_RING_BYTES) {
    // One ring allocated once and reused: a fresh SharedArrayBuffer per block is freed only when all
    // three threads have collected it, and measured at ~1 GiB retained and a third of the speed.
    const shared = new SharedArrayBuffer(ringBytes);
    this.ring = new Uint8Array(shared);
    this.acked = ALGORITHMS.map(() => 0);
    this.ringAcked = ALGORITHMS.map(() => 0);
    this.workers = ALGORITHMS.map((algorithms, i) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { algorithms, ring: shared, zeroChunk: ZERO_CHUNK } });
      worker.on('message', (msg: Reply) => this.onReply(i, msg));
      // A listener must exist at all times, or a worker error would crash the process.
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (!this.ended) this.fail(new Error(`hash worker exited with code ${code}`));
      });
      return worker;
    });
  }

  /** Bytes both workers have hashed so far (in-order position of the image hash). */
  get hashedBytes(): number {
    return Math.min(...this.acked);
  }

  /** Feeds the next bytes; resolves once they are copied into the ring (the caller may reuse `chunk`). */
  async update(chunk: Uint8Array): Promise<void> {
    const pieceMax = Math.min(MAX_PIECE_BYTES, Math.floor(this.ringBytes / 2));
    for (let at = 0; at < chunk.length; ) {
      const length = Math.min(pieceMax, chunk.length - at);
      const pos = this.ringUsed % this.ringBytes;
      // A piece never wraps: if it does not fit before the end, the tail is skipped (and acked).
      const skip = pos + length > this.ringBytes ? this.ringBytes - pos : 0;
      while (this.ringUsed + skip + length - Math.min(...this.ringAcked) > this.ringBytes) await this.waitForReply();
      this.throwIfFailed();
      const offset = (this.ringUsed + skip) % this.ringBytes;
      // One copy into shared memory serves both workers.
      this.ring.set(chunk.subarray(at, at + length), offset);
      this.ringUsed += skip + length;
      this.post({ type: 'data', offset, length, ringBytes: skip + length }, length);
      at += length;
    }
  }

  /** Feeds `length` zero bytes (a sparse hole) without materialising them. */
  async updateZeros(length: number): Promise<void> {
    for (let left = length; left > 0; ) {
      this.throwIfFailed();
      const n = Math.min(left, ZERO_MESSAGE_BYTES);
      this.post({ type: 'zeros', length: n }, n);
      left -= n;
      await this.room();
    }
  }

  /** Waits for both workers, returns the three digests (lower-case hex) and ends the workers. */
  async digest(): Promise<Hashes> {
    this.throwIfFailed();
    for (const worker of this.workers) worker.postMessage({ type: 'end' });
    while (this.digests.filter(Boolean).length < this.workers.length) await this.waitForReply();
    this.throwIfFailed();
    const all = Object.assign({}, ...this.digests) as Record<string, string>;
    await this.destroy();
    return { md5: all.md5!, sha1: all.sha1!, sha256: all.sha256! };
  }

  /** Ends the workers now (after digest, or when the image is abandoned). */
  async destroy(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    // Anything still waiting for room wakes up and sees the hasher has ended.
    this.notify();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private post(msg: object, bytes: number): void {
    this.posted += bytes;
    for (const worker of this.workers) worker.postMessage(msg);
  }

  private async room(): Promise<void> {
    while (this.posted - this.hashedBytes > this.ringBytes) await this.waitForReply();
    this.throwIfFailed();
  }

  private async waitForReply(): Promise<void> {
    this.throwIfFailed();
    await new Promise<void>((resolve) => (this.wake = resolve));
  }

  private onReply(worker: number, msg: Reply): void {
    if (msg.type === 'ack') {
      this.acked[worker]! += msg.bytes;
      this.ringAcked[worker]! += msg.ring;
    }
    else if (msg.type === 'done') this.digests[worker] = msg.digests;
    else this.fail(new Error(msg.message));
    this.notify();
  }

  private fail(err: Error): void {
    this.failure ??= new AppError('INTERNAL', `The image hashing worker failed: ${err.message}`, { cause: err });
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new AppError('INTERNAL', 'The image hasher was used after it ended.');
  }
}
