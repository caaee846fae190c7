/** The imager's in-order hash: MultiHasher against node:crypto, and OrderedFeed with out-of-order blocks and holes. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MultiHasher } from '../../main/core/aws/ebs-image/multi-hasher.js';
import { OrderedFeed } from '../../main/core/aws/ebs-image/ordered-feed.js';

function reference(parts: (Buffer | number)[]): { md5: string; sha1: string; sha256: string } {
  const hs = ['md5', 'sha1', 'sha256'].map((a) => createHash(a));
  for (const p of parts) {
    const b = typeof p === 'number' ? Buffer.alloc(p) : p;
    for (const h of hs) h.update(b);
  }
  const [md5, sha1, sha256] = hs.map((h) => h.digest('hex'));
  return { md5: md5!, sha1: sha1!, sha256: sha256! };
}

describe('MultiHasher', () => {
  it('equals node:crypto over data and zero runs of odd sizes, through a small ring that wraps', async () => {
    const parts: (Buffer | number)[] = [randomBytes(1), randomBytes(700_001), 3_000_007, randomBytes(65_536), 17, randomBytes(2_500_000), 9 * 1024 * 1024 + 5];
    // A 1 MiB ring forces pieces, wrap-arounds and skipped tails.
    const h = new MultiHasher(1024 * 1024);
    for (const p of parts) {
      if (typeof p === 'number') await h.updateZeros(p);
      else await h.update(p);
    }
    const total = parts.reduce<number>((n, p) => n + (typeof p === 'number' ? p : p.length), 0);
    expect(await h.digest()).toEqual(reference(parts));
    expect(h.hashedBytes).toBe(total);
  });

  it('hashes nothing as the digests of the empty string, and refuses use after it ended', async () => {
    const h = new MultiHasher();
    expect(await h.digest()).toEqual(reference([]));
    await expect(h.update(Buffer.from('x'))).rejects.toThrow(/after it ended/);
  });

  it('lets the caller reuse its buffer as soon as update resolves', async () => {
    const h = new MultiHasher(256 * 1024);
    const buf = Buffer.alloc(100_000);
    const parts: Buffer[] = [];
    for (let i = 0; i < 20; i += 1) {
      buf.fill(i);
      parts.push(Buffer.from(buf));
      await h.update(buf);
    }
    expect((await h.digest()).sha256).toBe(reference(parts).sha256);
  });
});

describe('OrderedFeed', () => {
  it('hashes blocks delivered out of order, with holes, exactly as the image in order', async () => {
    const blockSize = 4096;
    const total = 40;
    const listed = [1, 2, 3, 7, 8, 20, 21, 22, 23, 35];
    const data = new Map(listed.map((i) => [i, randomBytes(blockSize)]));
    const h = new MultiHasher(64 * 1024);
    const advances: boolean[] = [];
    const feed = new OrderedFeed(h, blockSize, total, (block) => advances.push(block !== null));
    for (const i of listed) feed.expect(i);
    feed.listingEnded();
    // Deliver in a scrambled order, yielding between deliveries.
    for (const i of [22, 35, 1, 8, 3, 20, 2, 7, 23, 21]) {
      feed.deliver(i, data.get(i)!);
      await new Promise((r) => setImmediate(r));
    }
    await feed.done;
    expect(feed.position).toBe(total);
    expect(feed.holesFed).toBe(total - listed.length);
    expect(advances.filter(Boolean).length).toBe(listed.length);
    const image = Array.from({ length: total }, (_, i) => data.get(i) ?? blockSize);
    expect(await h.digest()).toEqual(reference(image));
  });

  it('feeds a long hole in several runs and the block after it in place', async () => {
    const h = new MultiHasher();
    const steps: number[] = [];
    const feed = new OrderedFeed(h, 16, 2001, (_listed, bytes) => steps.push(bytes));
    feed.expect(1999);
    feed.listingEnded();
    feed.deliver(1999, Buffer.alloc(16, 9));
    await feed.done;
    expect(feed.holesFed).toBe(2000);
    // 1999 leading holes in runs of at most 512 blocks, the block, then the last hole.
    expect(steps.map((b) => b / 16)).toEqual([512, 1024, 1536, 1999, 2000, 2001]);
    expect((await h.digest()).sha256).toBe(reference([1999 * 16, Buffer.alloc(16, 9), 16]).sha256);
  });

  it('waits at a listed block that has not arrived, even with later blocks ready', async () => {
    const h = new MultiHasher();
    const feed = new OrderedFeed(h, 16, 4, () => undefined);
    feed.expect(1);
    feed.expect(2);
    feed.listingEnded();
    feed.deliver(2, Buffer.alloc(16, 2));
    await new Promise((r) => setTimeout(r, 50));
    expect(feed.position).toBe(1);
    feed.deliver(1, Buffer.alloc(16, 1));
    await feed.done;
    expect((await h.digest()).sha256).toBe(reference([16, Buffer.alloc(16, 1), Buffer.alloc(16, 2), 16]).sha256);
  });
});
