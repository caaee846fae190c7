/**
 * The AWS fake's EBS direct APIs through the real @aws-sdk/client-ebs: listings that page in
 * block order, blocks whose bytes equal the image file and whose x-amz-Checksum is their SHA-256,
 * sparse regions left unlisted, token expiry, pending snapshots, permissions and every fault knob.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GetSnapshotBlockCommand, ListSnapshotBlocksCommand, type EBSClient, type ListSnapshotBlocksCommandOutput } from '@aws-sdk/client-ebs';
import { CreateSnapshotsCommand } from '@aws-sdk/client-ec2';
import { EBS_BLOCK_SIZE, FIXTURE, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { fakeEbs, fakeEc2 } from '../aws-fake/clients.js';
import { awsError, checksumOf, imageBlock, makeSparseImage, sha256File } from '../aws-fake/test-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-aws-fake-ebs-'));
const image = path.join(dir, 'disk.raw');
let listed: number[] = [];
let fake: AwsFake;
let ebs: EBSClient;
let snapshotId: string;

beforeAll(() => {
  // 160 MiB = 320 blocks: data in 0..149 and 200..319, a hole in between, and block 175 holding
  // a single non-zero byte at its very end (a listing must not miss it).
  listed = makeSparseImage(image, 320 * EBS_BLOCK_SIZE, [...Array(150).keys(), ...Array.from({ length: 120 }, (_, i) => 200 + i)]);
  const fd = fs.openSync(image, 'r+');
  fs.writeSync(fd, Buffer.from([0x5a]), 0, 1, 176 * EBS_BLOCK_SIZE - 1);
  fs.closeSync(fd);
  listed = [...listed, 175].sort((a, b) => a - b);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeEach(async () => {
  fake = await startAwsFake();
  ebs = fakeEbs(fake, { maxAttempts: 1 });
  snapshotId = fake.addSnapshotFromImage(image).snapshotId;
});
afterEach(async () => {
  ebs.destroy();
  await fake.close();
});

async function listAll(id = snapshotId, maxResults = 100): Promise<ListSnapshotBlocksCommandOutput[]> {
  const pages: ListSnapshotBlocksCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: id, MaxResults: maxResults, NextToken: token }));
    pages.push(page);
    token = page.NextToken;
  } while (token);
  return pages;
}

async function fetchBlock(index: number, token: string, client = ebs) {
  const out = await client.send(new GetSnapshotBlockCommand({ SnapshotId: snapshotId, BlockIndex: index, BlockToken: token }));
  return { ...out, data: Buffer.from(await out.BlockData!.transformToByteArray()) };
}

async function tokenOf(index: number): Promise<string> {
  const page = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, StartingBlockIndex: index, MaxResults: 100 }));
  expect(page.Blocks![0]!.BlockIndex).toBe(index);
  return page.Blocks![0]!.BlockToken!;
}

describe('aws fake: EBS direct listing', () => {
  it('lists non-zero blocks in order, 100 per page, with NextToken paging', async () => {
    const pages = await listAll();
    expect(pages.map((p) => p.Blocks!.length)).toEqual([100, 100, 71]);
    expect(pages.flatMap((p) => p.Blocks!.map((b) => b.BlockIndex))).toEqual(listed);
    const first = pages[0]!;
    expect(first).toMatchObject({ BlockSize: 524288, VolumeSize: 1 });
    expect(first.ExpiryTime!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(first.Blocks![0]!.BlockToken).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(pages[2]!.NextToken).toBeUndefined();
  });

  it('returns at least 100 blocks when asked for fewer, starts at StartingBlockIndex, and pages short on demand', async () => {
    const small = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, MaxResults: 20 }));
    expect(small.Blocks).toHaveLength(100);
    const later = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, StartingBlockIndex: 176 }));
    expect(later.Blocks![0]!.BlockIndex).toBe(200);
    fake.faults.shortPages(30);
    expect((await listAll()).map((p) => p.Blocks!.length)).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 30, 1]);
  });

  it('uses an explicit block list when given one, and lists nothing for an empty volume', async () => {
    const explicit = fake.addSnapshotFromImage(image, { listedBlocks: [3, 1, 2], volumeSizeGiB: 4 });
    const page = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: explicit.snapshotId }));
    expect(page.Blocks!.map((b) => b.BlockIndex)).toEqual([1, 2, 3]);
    expect(page.VolumeSize).toBe(4);
    const blank = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: FIXTURE.completedSnapshotId }));
    expect(blank).toMatchObject({ Blocks: [], VolumeSize: 8 });
  });
});

describe('aws fake: EBS direct blocks', () => {
  it('serves every listed block with a correct checksum; reassembled, the image hashes like the file', async () => {
    const blocks = (await listAll()).flatMap((p) => p.Blocks!);
    const out = path.join(dir, 'reassembled.raw');
    fs.writeFileSync(out, '');
    fs.truncateSync(out, fs.statSync(image).size);
    const fd = fs.openSync(out, 'r+');
    const queue = [...blocks];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let b = queue.shift(); b; b = queue.shift()) {
          const got = await fetchBlock(b.BlockIndex!, b.BlockToken!);
          expect(got.DataLength).toBe(EBS_BLOCK_SIZE);
          expect(got.ChecksumAlgorithm).toBe('SHA256');
          expect(got.Checksum).toBe(createHash('sha256').update(got.data).digest('base64'));
          fs.writeSync(fd, got.data, 0, got.data.length, b.BlockIndex! * EBS_BLOCK_SIZE);
        }
      }),
    );
    fs.closeSync(fd);
    expect(await sha256File(out)).toBe(await sha256File(image));
    expect(imageBlock(out, 175).subarray(-1)[0]).toBe(0x5a);
    expect(fake.faults.blockFetchCount(snapshotId, 0)).toBe(1);
    expect([...fake.faults.blockFetchCounts(snapshotId).values()].every((n) => n === 1)).toBe(true);
    fs.rmSync(out);
  });

  it('zero-pads the last block of an image that is not a whole number of blocks', async () => {
    const odd = path.join(dir, 'odd.raw');
    fs.writeFileSync(odd, Buffer.alloc(2 * EBS_BLOCK_SIZE + 1000, 0x41));
    const snap = fake.addSnapshotFromImage(odd);
    const page = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snap.snapshotId }));
    expect(page.Blocks!.map((b) => b.BlockIndex)).toEqual([0, 1, 2]);
    const last = await ebs.send(new GetSnapshotBlockCommand({ SnapshotId: snap.snapshotId, BlockIndex: 2, BlockToken: page.Blocks![2]!.BlockToken! }));
    const data = Buffer.from(await last.BlockData!.transformToByteArray());
    expect(data.subarray(0, 1000).every((x) => x === 0x41)).toBe(true);
    expect(data.subarray(1000).every((x) => x === 0)).toBe(true);
    expect(last.Checksum).toBe(checksumOf(data));
  });

  it('serves what CreateSnapshots captured from a volume given an image', async () => {
    fake.state.setVolumeImage(FIXTURE.webRootVolumeId, image);
    const ec2 = fakeEc2(fake);
    const out = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: FIXTURE.webInstanceId } }));
    const root = out.Snapshots!.find((s) => s.VolumeId === FIXTURE.webRootVolumeId)!.SnapshotId!;
    fake.state.completeSnapshot(root);
    const pages = await listAll(root);
    expect(pages[0]!.VolumeSize).toBe(8);
    expect(pages.flatMap((p) => p.Blocks!.map((b) => b.BlockIndex))).toEqual(listed);
    ec2.destroy();
  });

  it('refuses tokens of another block, forged tokens and expired tokens; a fresh listing works again', async () => {
    const token0 = await tokenOf(0);
    const other = await awsError(fetchBlock(1, token0));
    expect(other).toMatchObject({ name: 'ValidationException', status: 400, reason: 'INVALID_BLOCK_TOKEN' });
    const forged = await awsError(fetchBlock(0, Buffer.alloc(37, 1).toString('base64')));
    expect(forged.reason).toBe('INVALID_BLOCK_TOKEN');
    fake.state.advanceClock(61 * 60_000);
    const expired = await awsError(fetchBlock(0, token0));
    expect(expired).toMatchObject({ name: 'ValidationException', reason: 'INVALID_BLOCK_TOKEN', message: 'The block token has expired.' });
    const fresh = await fetchBlock(0, await tokenOf(0));
    expect(fresh.data.equals(imageBlock(image, 0))).toBe(true);
  });

  it('answers a pending snapshot as not found until it completes', async () => {
    const pending = fake.addSnapshotFromImage(image, { state: 'pending' });
    const err = await awsError(ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: pending.snapshotId })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 404, reason: 'SNAPSHOT_NOT_FOUND' });
    fake.state.completeSnapshot(pending.snapshotId);
    expect((await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: pending.snapshotId }))).Blocks).toHaveLength(listed.length);
  });

  it('denies through the policy map with AccessDeniedException naming the action', async () => {
    const token = await tokenOf(0);
    fake.state.policy.deny('ebs:GetSnapshotBlock');
    const err = await awsError(fetchBlock(0, token));
    expect(err).toMatchObject({ name: 'AccessDeniedException', status: 403, reason: 'UNAUTHORIZED_ACCOUNT' });
    expect(err.message).toContain('ebs:GetSnapshotBlock');
  });
});

describe('aws fake: EBS direct faults', () => {
  it('serves a corrupt block N times, then the right one; counts every fetch', async () => {
    const token = await tokenOf(5);
    fake.faults.badChecksum(5, { times: 2 });
    for (let i = 0; i < 2; i += 1) {
      const bad = await fetchBlock(5, token);
      expect(checksumOf(bad.data)).not.toBe(bad.Checksum);
      expect(bad.Checksum).toBe(checksumOf(imageBlock(image, 5)));
    }
    const good = await fetchBlock(5, token);
    expect(checksumOf(good.data)).toBe(good.Checksum);
    expect(good.data.equals(imageBlock(image, 5))).toBe(true);
    expect(fake.faults.blockFetchCount(snapshotId, 5)).toBe(3);
    fake.faults.badChecksum(6, { corrupt: 'checksum' });
    const wrongHeader = await fetchBlock(6, await tokenOf(6));
    expect(wrongHeader.data.equals(imageBlock(image, 6))).toBe(true);
    expect(wrongHeader.Checksum).not.toBe(checksumOf(wrongHeader.data));
  });

  it('throttles (ThrottlingException 400 by default, or the code and status asked for) and fails with 5xx', async () => {
    const token = await tokenOf(7);
    fake.faults.throttle({ action: 'GetSnapshotBlock', times: 1 });
    expect(await awsError(fetchBlock(7, token))).toMatchObject({ name: 'ThrottlingException', status: 400 });
    fake.faults.throttle({ action: 'GetSnapshotBlock', blockIndex: 7, times: 1, code: 'RequestThrottledException', status: 429 });
    expect(await awsError(fetchBlock(7, token))).toMatchObject({ name: 'RequestThrottledException', status: 429 });
    fake.faults.serverError({ service: 'ebs', times: 1, status: 503 });
    expect(await awsError(fetchBlock(7, token))).toMatchObject({ name: 'ServiceUnavailableException', status: 503 });
    fake.faults.serverError({ service: 'ebs', times: 1 });
    expect(await awsError(fetchBlock(7, token))).toMatchObject({ name: 'InternalServerException', status: 500 });
    expect((await fetchBlock(7, token)).data.equals(imageBlock(image, 7))).toBe(true);
    const retrying = fakeEbs(fake, { maxAttempts: 3 });
    fake.faults.throttle({ action: 'GetSnapshotBlock', times: 2 });
    expect((await fetchBlock(7, token, retrying)).data.equals(imageBlock(image, 7))).toBe(true);
    retrying.destroy();
  });

  it('drops the connection half-way through a block body', async () => {
    const token = await tokenOf(8);
    fake.faults.dropConnection({ action: 'GetSnapshotBlock', blockIndex: 8, times: 1 });
    await expect(fetchBlock(8, token)).rejects.toThrow();
    expect(fake.calls.at(-1)).toMatchObject({ action: 'GetSnapshotBlock', errorCode: 'ConnectionDropped' });
    expect((await fetchBlock(8, token)).data.equals(imageBlock(image, 8))).toBe(true);
  });

  it('expires a token early on demand', async () => {
    const token = await tokenOf(9);
    fake.faults.expireToken({ blockIndex: 9, times: 1 });
    expect((await awsError(fetchBlock(9, token))).message).toBe('The block token has expired.');
    expect((await fetchBlock(9, token)).Checksum).toBe(checksumOf(imageBlock(image, 9)));
  });

  it('adds latency per request, concurrently rather than serially', async () => {
    const tokens = await Promise.all([10, 11, 12, 13, 14, 15, 16, 17].map(async (i) => [i, await tokenOf(i)] as const));
    fake.faults.latency('GetSnapshotBlock', 100);
    const started = Date.now();
    await Promise.all(tokens.map(([i, t]) => fetchBlock(i, t)));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(700);
  });
});
