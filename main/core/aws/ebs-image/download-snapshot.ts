/**
 * Downloads a completed EBS snapshot into a raw image: listed blocks fetched concurrently and each
 * verified against its SHA-256, unlisted blocks left as sparse holes, MD5/SHA-1/SHA-256 of the
 * whole image computed in the same pass in block order, a per-block manifest so a later run resumes
 * without fetching verified blocks again. Design and reasons: docs/ebs-imaging.md.
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import { AppError } from '../../../../shared/errors.js';
import type { Hashes } from '../../../../shared/types.js';
import { BlockLister } from './block-lister.js';
import type { BlockSource } from './block-source.js';
import { obtainBlock, type BlockContext, type BlockCounters } from './block-task.js';
import { BufferPool } from './buffer-pool.js';
import { AdaptiveLimiter } from './flow-control.js';
import { ImageFile } from './image-file.js';
import { BlockManifest } from './manifest.js';
import { MultiHasher } from './multi-hasher.js';
import { OrderedFeed } from './ordered-feed.js';
import { Requester } from './requester.js';

/** What downloadSnapshot needs; only source, snapshotId, dest and manifestPath are required. */
export interface DownloadOptions {
  source: BlockSource;
  snapshotId: string;
  /** The raw image; created if absent, resumed if present together with its manifest. */
  dest: string;
  manifestPath: string;
  /** Maximum block requests in flight (adaptive below it). Default 64. */
  concurrency?: number;
  /** Bytes of blocks in flight or waiting for the in-order hash, at most. Default 256 MiB. */
  memoryBudgetBytes?: number;
  /** Per request, body included. Default 30 s. */
  requestTimeoutMs?: number;
  /** Retries per request for throttling, 5xx, timeouts and dropped connections. Default 10. */
  maxRetries?: number;
  /** Re-fetches of a block whose checksum is wrong before the download fails. Default 3. */
  maxChecksumRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Successes per +1 of the adaptive concurrency. Default 16. */
  increaseEvery?: number;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Jitter source, for reproducible tests. */
  random?: () => number;
}

/** Progress as the engine sees it; bytesDone is the in-order hashed position. */
export interface DownloadProgress {
  bytesDone: number;
  bytesTotal: number;
  blocksListed: number;
  blocksFetched: number;
  blocksReused: number;
  concurrency: number;
  throttles: number;
  retries: number;
}

/** The outcome of a completed download. */
export interface DownloadResult extends Hashes, BlockCounters {
  size: number;
  blockSize: number;
  blocksTotal: number;
  blocksListed: number;
  blocksAbsent: number;
  retries: number;
  throttles: number;
  timeouts: number;
  relists: number;
  concurrencyLowest: number;
  concurrencyFinal: number;
  /** True when an earlier run's image and manifest were picked up. */
  resumed: boolean;
  /** This run's number in the manifest. */
  manifestRun: number;
}

const MiB = 1024 * 1024;
const DISK_READS = 8;
const EXPIRY_MARGIN_MS = 10_000;

/** Downloads (or resumes) a snapshot into `dest`; rejects with CANCELLED, FORBIDDEN, CONFLICT, UNREADABLE, … */
export async function downloadSnapshot(opts: DownloadOptions): Promise<DownloadResult> {
  const concurrency = opts.concurrency ?? 64;
  const stop = new AbortController();
  // Every waiting block and every request listens on this signal: hundreds by design, not a leak.
  setMaxListeners(0, stop.signal);
  const outer = opts.signal;
  const onOuterAbort = (): void => stop.abort(cancelled(opts.snapshotId));
  if (outer?.aborted) throw cancelled(opts.snapshotId);
  outer?.addEventListener('abort', onOuterAbort, { once: true });

  const limiter = new AdaptiveLimiter(concurrency, opts.increaseEvery ?? 16);
  const requester = new Requester(
    {
      requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
      maxRetries: opts.maxRetries ?? 10,
      backoffBaseMs: opts.backoffBaseMs ?? 100,
      backoffCapMs: opts.backoffCapMs ?? 20_000,
      random: opts.random,
    },
    limiter,
    stop.signal,
  );
  const lister = new BlockLister(opts.snapshotId, (o) =>
    requester.run(`ListSnapshotBlocks for ${opts.snapshotId}`, -1, (signal) => opts.source.list(opts.snapshotId, { ...o, signal })),
  );

  let image: ImageFile | null = null;
  let manifest: BlockManifest | null = null;
  let hasher: MultiHasher | null = null;
  try {
    const geometry = await lister.start();
    const { blockSize, totalBlocks, volumeSizeBytes } = geometry;
    const fresh = !fs.existsSync(opts.dest);
    if (!fresh && !fs.existsSync(opts.manifestPath)) {
      throw new AppError('EXISTS', `${opts.dest} already exists and has no download manifest, so it cannot be resumed; it was left untouched.`);
    }
    // The manifest first: if it belongs to another snapshot, nothing is created or touched.
    manifest = BlockManifest.open(opts.manifestPath, { snapshotId: opts.snapshotId, blockSize, volumeSizeBytes }, fresh);
    image = await ImageFile.open(opts.dest, volumeSizeBytes, fresh);
    hasher = new MultiHasher();

    const counters: BlockCounters = { blocksFetched: 0, blocksReused: 0, blocksRepaired: 0, checksumFailures: 0 };
    const budgetBlocks = Math.max(1, Math.floor((opts.memoryBudgetBytes ?? 256 * MiB) / blockSize));
    const budget = new AdaptiveLimiter(budgetBlocks);
    const pool = new BufferPool(blockSize, budgetBlocks);
    const report = (bytesDone: number): void =>
      opts.onProgress?.({
        bytesDone,
        bytesTotal: volumeSizeBytes,
        blocksListed: lister.listed,
        blocksFetched: counters.blocksFetched,
        blocksReused: counters.blocksReused,
        concurrency: limiter.limit,
        throttles: requester.counters.throttles,
        retries: requester.counters.retries,
      });
    const feed = new OrderedFeed(hasher, blockSize, totalBlocks, (hashedBlock, bytes) => {
      if (hashedBlock) {
        pool.give(hashedBlock);
        budget.release();
      }
      report(bytes);
    });
    const ctx: BlockContext = {
      snapshotId: opts.snapshotId,
      blockSize,
      source: opts.source,
      requester,
      lister,
      image,
      manifest,
      disk: new AdaptiveLimiter(DISK_READS),
      maxChecksumRetries: opts.maxChecksumRetries ?? 3,
      expiryMarginMs: EXPIRY_MARGIN_MS,
      counters,
      pool,
      signal: stop.signal,
    };

    let failure: unknown = null;
    let rejectFailed!: (err: unknown) => void;
    const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
    failed.catch(() => undefined);
    const fail = (err: unknown): void => {
      if (failure !== null) return;
      failure = err;
      feed.stop();
      stop.abort(err);
      rejectFailed(err);
    };
    void feed.done.catch(fail);

    const tasks = new Set<Promise<void>>();
    const schedule = async (): Promise<void> => {
      for (;;) {
        // The memory bound: a slot per listed block from dispatch until the in-order hash is past it.
        await budget.acquire(0, stop.signal);
        const block = await lister.next();
        if (!block) break;
        feed.expect(block.index);
        const task = obtainBlock(ctx, block).then(
          (data) => {
            lister.release(block);
            feed.deliver(block.index, data);
          },
          fail,
        );
        tasks.add(task);
        void task.finally(() => tasks.delete(task));
      }
      feed.listingEnded();
    };

    try {
      await Promise.race([schedule().then(() => feed.done), failed]);
    } catch (err) {
      fail(err);
    } finally {
      // Every write that started ends before the files are closed, so image and manifest agree.
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    }
    if (failure !== null) throw failure;

    const hashes = await hasher.digest();
    await image.sync();
    const result: DownloadResult = {
      size: volumeSizeBytes,
      blockSize,
      blocksTotal: totalBlocks,
      blocksListed: lister.listed,
      blocksAbsent: totalBlocks - lister.listed,
      ...counters,
      ...requester.counters,
      relists: lister.relists,
      concurrencyLowest: limiter.lowest,
      concurrencyFinal: limiter.limit,
      resumed: !fresh,
      manifestRun: manifest.run,
      ...hashes,
    };
    manifest.finish('completed', { ...result });
    return result;
  } catch (err) {
    const outcome = stop.signal.aborted && outer?.aborted ? 'cancelled' : 'failed';
    try {
      manifest?.finish(outcome, { error: err instanceof Error ? err.message : String(err) });
    } catch {
      // The manifest's own failure must not hide the reason the download stopped.
    }
    throw outer?.aborted ? cancelled(opts.snapshotId) : err;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    await hasher?.destroy();
    manifest?.close();
    await image?.close();
  }
}

function cancelled(snapshotId: string): AppError {
  return new AppError(
    'CANCELLED',
    `The download of ${snapshotId} was cancelled; the partial image and its manifest were kept so it can resume.`,
  );
}
