/**
 * The imaging engine end to end against the in-process fake source: a real ext4 image and a sparse
 * image served as snapshots; the output's hashes checked against coreutils on both files; faults.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot, type DownloadOptions } from '../../main/core/aws/ebs-image/download-snapshot.js';
import { AccessDeniedError, BlockChecksumError, SnapshotNotCompletedError } from '../../main/core/aws/ebs-image/errors.js';
import type { BlockSource } from '../../main/core/aws/ebs-image/block-source.js';
import { coreutilsDigest } from '../support/evidence-files.js';
import { BLOCK, FakeBlockSource, prng, type Faults } from '../support/ebs-fake-source.js';

const MKFS = ['/usr/sbin/mkfs.ext4', '/sbin/mkfs.ext4'].find((p) => fs.existsSync(p));
if (!MKFS) console.warn('mkfs.ext4 (e2fsprogs) is absent: the ext4 snapshot test is skipped');

let dir: string;
let ext4Image: string;
let sparseImage: string;
const sparseHoles = new Set<number>();
let run = 0;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ebs-image-'));
  // Sparse source: 128 blocks, 32 of them (25%) unlisted zeros, including the last; the rest random.
  sparseImage = path.join(dir, 'sparse.img');
  const rand = prng(7);
  while (sparseHoles.size < 31) sparseHoles.add(Math.floor(rand() * 127));
  sparseHoles.add(127);
  const fd = fs.openSync(sparseImage, 'w');
  fs.ftruncateSync(fd, 128 * BLOCK);
  for (let i = 0; i < 128; i += 1) if (!sparseHoles.has(i)) fs.writeSync(fd, randomFillSync(Buffer.alloc(BLOCK)), 0, BLOCK, i * BLOCK);
  fs.closeSync(fd);
  if (MKFS) {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'var', 'log'), { recursive: true });
    for (let i = 0; i < 5; i += 1) fs.writeFileSync(path.join(tree, `data-${i}.bin`), randomFillSync(Buffer.alloc(1_500_000 + i * 77_777)));
    fs.writeFileSync(path.join(tree, 'var', 'log', 'auth.log'), 'Accepted publickey for ec2-user from 203.0.113.7\n'.repeat(5000));
    ext4Image = path.join(dir, 'ext4.img');
    execFileSync(MKFS, ['-q', '-F', '-t', 'ext4', '-b', '4096', '-d', tree, ext4Image, '64M']);
  }
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Fresh output paths for one download. */
function outputs(): { dest: string; manifestPath: string } {
  run += 1;
  return { dest: path.join(dir, `out-${run}.img`), manifestPath: path.join(dir, `out-${run}.manifest.sqlite`) };
}

function sparseSource(faults: Faults = {}, pageSize = 10): FakeBlockSource {
  return FakeBlockSource.fromFile('snap-0123456789abcdef0', sparseImage, { listed: (i) => !sparseHoles.has(i), faults, pageSize });
}

async function download(source: BlockSource, extra: Partial<DownloadOptions> = {}) {
  const out = outputs();
  const result = await downloadSnapshot({ source, snapshotId: 'snap-0123456789abcdef0', ...out, backoffBaseMs: 5, backoffCapMs: 50, ...extra });
  return { ...out, result };
}

async function expectHashesOf(file: string, result: { md5: string; sha1: string; sha256: string }, source: string): Promise<void> {
  for (const [tool, key] of [['sha256sum', 'sha256'], ['sha1sum', 'sha1'], ['md5sum', 'md5']] as const) {
    const expected = await coreutilsDigest(tool, source);
    expect(result[key], `${key} against ${tool} of the source`).toBe(expected);
    expect(await coreutilsDigest(tool, file), `${tool} of the output`).toBe(expected);
  }
}

describe('downloadSnapshot', () => {
  it.skipIf(!MKFS)('images an ext4 file system: hashes equal coreutils on the source and the output', async () => {
    const source = FakeBlockSource.fromFile('snap-0123456789abcdef0', ext4Image, { pageSize: 25 });
    const { dest, result } = await download(source);
    source.close();
    await expectHashesOf(dest, result, ext4Image);
    expect(result.size).toBe(64 * 1024 * 1024);
    expect(fs.statSync(dest).size).toBe(64 * 1024 * 1024);
    expect(result.blocksListed).toBe(source.listedCount);
    expect(result.blocksAbsent).toBe(128 - source.listedCount);
    expect(result.blocksAbsent).toBeGreaterThan(0);
    expect(result.blocksFetched).toBe(source.listedCount);
    expect(result).toMatchObject({ blocksReused: 0, checksumFailures: 0, resumed: false, blockSize: BLOCK });
  });

  it('leaves unlisted blocks as sparse zeros and counts them', async () => {
    const source = sparseSource();
    const seen: number[] = [];
    const { dest, result } = await download(source, { onProgress: (p) => seen.push(p.bytesDone) });
    source.close();
    // Progress is the in-order hashed position: never backwards, ending at the volume size.
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(128 * BLOCK);
    await expectHashesOf(dest, result, sparseImage);
    expect(result.blocksAbsent).toBe(32);
    expect(result.blocksListed).toBe(96);
    const fd = fs.openSync(dest, 'r');
    const buf = Buffer.alloc(BLOCK);
    for (const hole of sparseHoles) {
      fs.readSync(fd, buf, 0, BLOCK, hole * BLOCK);
      expect(buf.every((b) => b === 0), `hole ${hole} reads as zeros`).toBe(true);
    }
    fs.closeSync(fd);
    // Holes were never written, so the file occupies less than its size on disk.
    expect(fs.statSync(dest).blocks * 512).toBeLessThanOrEqual(96 * BLOCK + 64 * 1024);
  });

  it('re-fetches a block whose checksum is wrong once, and succeeds', async () => {
    const source = sparseSource({ corrupt: new Map([[0, 1], [50, 2]]) });
    const { dest, result } = await download(source);
    source.close();
    expect(result.checksumFailures).toBe(3);
    expect(result.blocksFetched).toBe(96);
    await expectHashesOf(dest, result, sparseImage);
  });

  it('fails naming the block when its checksum stays wrong', async () => {
    const bad = [...Array(128).keys()].find((i) => i > 60 && !sparseHoles.has(i))!;
    const source = sparseSource({ corrupt: new Map([[bad, Infinity]]) });
    const err = await download(source, { maxChecksumRetries: 2 }).catch((e: unknown) => e);
    source.close();
    expect(err).toBeInstanceOf(BlockChecksumError);
    expect((err as BlockChecksumError).blockIndex).toBe(bad);
    expect((err as Error).message).toContain(`Block ${bad} of snapshot snap-0123456789abcdef0`);
    expect((err as Error).message).toContain('3 times');
  });

  it('slows down under throttling and still completes', async () => {
    const source = sparseSource({ throttleAbove: 6, latencyMs: 5 });
    const { dest, result } = await download(source, { concurrency: 32, increaseEvery: 64 });
    source.close();
    expect(result.throttles).toBeGreaterThan(0);
    expect(result.throttles).toBe(source.stats.throttled);
    expect(result.concurrencyLowest).toBeLessThanOrEqual(8);
    expect(result.retries).toBeGreaterThanOrEqual(result.throttles);
    await expectHashesOf(dest, result, sparseImage);
  });

  it('re-lists from the failing block when tokens expire', async () => {
    const source = sparseSource({ expireAfterGets: 30 });
    const { dest, result } = await download(source, { concurrency: 8 });
    source.close();
    expect(source.stats.expiredRefusals).toBeGreaterThan(0);
    expect(result.relists).toBeGreaterThan(0);
    // A re-list starts at a block index (StartingBlockIndex), not at the beginning or a page token.
    expect(source.stats.listStarts.filter((s) => typeof s === 'number' && s > 0).length).toBeGreaterThan(0);
    await expectHashesOf(dest, result, sparseImage);
  });

  it('times out requests that hang and retries them', async () => {
    const hang = [...Array(128).keys()].filter((i) => !sparseHoles.has(i) && (i < 10 || i > 70)).slice(0, 2);
    const source = sparseSource({ hangOnce: new Set(hang) });
    const started = Date.now();
    const { dest, result } = await download(source, { requestTimeoutMs: 300 });
    source.close();
    expect(source.stats.hung).toBe(2);
    expect(result.timeouts).toBe(2);
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectHashesOf(dest, result, sparseImage);
  });

  it('keeps requests in flight at or below the concurrency', async () => {
    const source = sparseSource({ latencyMs: 10 });
    await download(source, { concurrency: 4 });
    source.close();
    expect(source.stats.maxInFlight).toBe(4);
  });

  it('refuses a snapshot that is not completed, or access denied, before creating anything', async () => {
    for (const error of [
      new SnapshotNotCompletedError('snap-0123456789abcdef0', 'pending'),
      new AccessDeniedError('ebs:ListSnapshotBlocks', 'AWS said: no'),
    ]) {
      const source: BlockSource = { list: () => Promise.reject(error), get: () => Promise.reject(new Error('unused')) };
      const out = outputs();
      const err = await downloadSnapshot({ source, snapshotId: 'snap-0123456789abcdef0', ...out }).catch((e: unknown) => e);
      expect(err).toBe(error);
      expect(fs.existsSync(out.dest)).toBe(false);
      expect(fs.existsSync(out.manifestPath)).toBe(false);
    }
  });
});
