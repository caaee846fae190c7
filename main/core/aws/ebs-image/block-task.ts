/**
 * Obtains one listed block's verified bytes: re-read from the image if an earlier run recorded it
 * and it still matches its recorded SHA-256, otherwise fetched (re-listing an expired token,
 * re-fetching on a checksum mismatch), written at its offset and recorded in the manifest.
 */
import { createHash } from 'node:crypto';
import type { BlockLister, LiveBlock } from './block-lister.js';
import type { BlockSource } from './block-source.js';
import { BlockChecksumError, ExpiredTokenError } from './errors.js';
import type { BufferPool } from './buffer-pool.js';
import type { AdaptiveLimiter } from './flow-control.js';
import type { ImageFile } from './image-file.js';
import type { BlockManifest } from './manifest.js';
import type { Requester } from './requester.js';

/** Per-block counters of one run. */
export interface BlockCounters {
  blocksFetched: number;
  blocksReused: number;
  /** Blocks the manifest recorded whose bytes in the image no longer matched, so they were fetched again. */
  blocksRepaired: number;
  checksumFailures: number;
}

/** Everything a block task needs. */
export interface BlockContext {
  snapshotId: string;
  blockSize: number;
  source: BlockSource;
  requester: Requester;
  lister: BlockLister;
  image: ImageFile;
  manifest: BlockManifest;
  /** Bounds concurrent re-reads of the image (reused blocks), separately from the network. */
  disk: AdaptiveLimiter;
  maxChecksumRetries: number;
  /** Tokens expiring within this margin are re-listed before use. */
  expiryMarginMs: number;
  counters: BlockCounters;
  /** Block buffers; a buffer handed out here comes back once its block is hashed. */
  pool: BufferPool;
  signal: AbortSignal;
}

// A token refused again right after a re-list means something else is wrong; stop rather than loop.
const MAX_RELISTS_PER_BLOCK = 5;

/** The verified bytes of `block`, from the image (resume) or from the source. */
export async function obtainBlock(ctx: BlockContext, block: LiveBlock): Promise<Buffer> {
  const offset = block.index * ctx.blockSize;
  const recorded = ctx.manifest.lookup(block.index);
  if (recorded) {
    await ctx.disk.acquire(block.index, ctx.signal);
    let data: Buffer;
    try {
      data = await ctx.image.read(offset, ctx.blockSize, ctx.pool.take());
    } finally {
      ctx.disk.release();
    }
    if (sha256(data).equals(recorded)) {
      ctx.manifest.recordReused(block.index);
      ctx.counters.blocksReused += 1;
      return data;
    }
    ctx.counters.blocksRepaired += 1;
    ctx.pool.give(data);
  }
  const { data, digest, failures } = await fetchVerified(ctx, block);
  await ctx.image.write(data, offset);
  // Recorded only once the write returned; a resume re-checks the bytes anyway.
  ctx.manifest.recordFetched(block.index, digest, failures);
  ctx.counters.blocksFetched += 1;
  return data;
}

async function fetchVerified(ctx: BlockContext, block: LiveBlock): Promise<{ data: Buffer; digest: Buffer; failures: number }> {
  let failures = 0;
  let relists = 0;
  for (;;) {
    if (relists === 0 && block.expiresAt - Date.now() <= ctx.expiryMarginMs) {
      relists += 1;
      await ctx.lister.refresh(block, block.generation);
    }
    const generation = block.generation;
    const token = block.token;
    let got;
    try {
      got = await ctx.requester.run(`GetSnapshotBlock for block ${block.index} of ${ctx.snapshotId}`, block.index, async (signal) => {
        // A fresh lend per attempt: an attempt that timed out may still be writing into its buffer.
        const buffer = ctx.pool.take();
        const fetched = await ctx.source.get(ctx.snapshotId, block.index, token, { signal, buffer });
        if (fetched.data !== buffer) ctx.pool.give(buffer);
        return fetched;
      });
    } catch (err) {
      if (!(err instanceof ExpiredTokenError) || relists >= MAX_RELISTS_PER_BLOCK) throw err;
      relists += 1;
      await ctx.lister.refresh(block, generation);
      continue;
    }
    const digest = sha256(got.data);
    const problem = checkBlock(got.data, got.checksumB64, got.algorithm, digest, ctx.blockSize);
    if (!problem) return { data: got.data, digest, failures };
    ctx.pool.give(got.data);
    failures += 1;
    ctx.counters.checksumFailures += 1;
    if (failures > ctx.maxChecksumRetries) throw new BlockChecksumError(ctx.snapshotId, block.index, failures, problem);
  }
}

/** Why a fetched block cannot be trusted, or null if it can. */
function checkBlock(data: Buffer, checksumB64: string, algorithm: string, digest: Buffer, blockSize: number): string | null {
  if (algorithm !== 'SHA256') return `checksum algorithm ${algorithm}, expected SHA256`;
  if (data.length !== blockSize) return `${data.length} bytes, expected ${blockSize}`;
  const actual = digest.toString('base64');
  if (actual !== checksumB64) return `SHA-256 ${actual}, AWS sent ${checksumB64}`;
  return null;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
