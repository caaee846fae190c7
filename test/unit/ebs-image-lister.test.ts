/** The lazy block lister: paging (including empty pages), geometry checks, re-listing expired tokens. */
import { describe, expect, it } from 'vitest';
import { BlockLister, type ListCall } from '../../main/core/aws/ebs-image/block-lister.js';
import type { BlockListing } from '../../main/core/aws/ebs-image/block-source.js';
import { ExpiredTokenError } from '../../main/core/aws/ebs-image/errors.js';
import { AppError } from '../../shared/errors.js';

const BLOCK = 524288;
const VOLUME = 1024 ** 3; // 2048 blocks

/** A listing over `indices` with pages of `size`; tokens carry a generation that `bump` advances. */
function fakeList(indices: number[], size: number) {
  const calls: { startIndex?: number; nextToken?: string }[] = [];
  let generation = 0;
  const call: ListCall = async (opts) => {
    calls.push(opts);
    const start = opts.nextToken ? Number(opts.nextToken.slice(5)) : (opts.startIndex ?? 0);
    const from = indices.filter((i) => i >= start);
    const page = from.slice(0, size);
    const listing: BlockListing = {
      blocks: page.map((index) => ({ index, token: `t${generation}-${index}` })),
      expiry: new Date(Date.now() + 60_000),
      volumeSizeBytes: VOLUME,
      blockSize: BLOCK,
    };
    if (from.length > size) listing.nextToken = `page-${from[size]}`;
    return listing;
  };
  return { call, calls, bump: () => (generation += 1) };
}

async function drain(lister: BlockLister): Promise<number[]> {
  const out: number[] = [];
  for (let b = await lister.next(); b; b = await lister.next()) {
    out.push(b.index);
    lister.release(b);
  }
  return out;
}

describe('BlockLister', () => {
  it('hands out every listed block in order across pages, with the geometry of the first page', async () => {
    const indices = [0, 1, 5, 9, 100, 101, 2047];
    const { call, calls } = fakeList(indices, 3);
    const lister = new BlockLister('snap-1', call);
    expect(await lister.start()).toEqual({ volumeSizeBytes: VOLUME, blockSize: BLOCK, totalBlocks: 2048 });
    expect(await drain(lister)).toEqual(indices);
    expect(lister.listed).toBe(7);
    expect(calls[0]).toEqual({ startIndex: 0 });
    expect(calls.slice(1).every((c) => c.nextToken)).toBe(true);
  });

  it('keeps paging through empty pages that still carry a next token', async () => {
    const pages: BlockListing[] = [
      { blocks: [], nextToken: 'a', expiry: new Date(), volumeSizeBytes: VOLUME, blockSize: BLOCK },
      { blocks: [{ index: 4, token: 'x' }], nextToken: 'b', expiry: new Date(), volumeSizeBytes: VOLUME, blockSize: BLOCK },
      { blocks: [], expiry: new Date(), volumeSizeBytes: VOLUME, blockSize: BLOCK },
    ];
    const lister = new BlockLister('snap-1', async () => pages.shift()!);
    await lister.start();
    expect(await drain(lister)).toEqual([4]);
  });

  it('resumes the listing from the next index when a page token has expired', async () => {
    const { call, calls } = fakeList([1, 2, 3, 4, 5], 2);
    let refused = false;
    const lister = new BlockLister('snap-1', async (opts) => {
      if (opts.nextToken && !refused) {
        refused = true;
        throw new ExpiredTokenError('page token expired');
      }
      return call(opts);
    });
    await lister.start();
    expect(await drain(lister)).toEqual([1, 2, 3, 4, 5]);
    expect(calls.some((c) => c.startIndex === 3)).toBe(true);
  });

  it('re-lists once for many failures of the same token generation, from the failing index', async () => {
    const { call, calls, bump } = fakeList([10, 11, 12, 13], 100);
    const lister = new BlockLister('snap-1', call);
    await lister.start();
    const held = [await lister.next(), await lister.next(), await lister.next()].map((b) => b!);
    expect(held[1]!.token).toBe('t0-11');
    bump();
    const before = calls.length;
    await Promise.all(held.slice(1).map((b) => lister.refresh(b, b.generation)));
    expect(calls.length - before).toBe(1);
    expect(calls.at(-1)).toEqual({ startIndex: 11 });
    expect(held.slice(1).map((b) => b.token)).toEqual(['t1-11', 't1-12']);
    // Block 10 lies before the re-list's start, so it keeps its old token until it fails itself.
    expect(held[0]!.token).toBe('t0-10');
    expect(lister.relists).toBe(1);
  });

  it('refuses a listing with a block outside the volume or a size that is not whole blocks', async () => {
    const outside = new BlockLister('snap-1', async () => ({ blocks: [{ index: 2048, token: 'x' }], expiry: new Date(), volumeSizeBytes: VOLUME, blockSize: BLOCK }));
    await expect(outside.start()).rejects.toThrow(/outside the volume/);
    const ragged = new BlockLister('snap-1', async () => ({ blocks: [], expiry: new Date(), volumeSizeBytes: VOLUME + 1, blockSize: BLOCK }));
    await expect(ragged.start()).rejects.toBeInstanceOf(AppError);
  });
});
