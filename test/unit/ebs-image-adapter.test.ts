/**
 * The EBS direct API adapter, lightly: SDK errors mapped to typed errors, and the real
 * @aws-sdk/client-ebs driven against a minimal loopback responder (the protocol-level fake in
 * test/aws-fake/ will cover the protocol fully).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { AccessDeniedException, EBSClient, InternalServerException, RequestThrottledException, ValidationException } from '@aws-sdk/client-ebs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ebsBlockSource, ebsClientSettings, readBody } from '../../main/core/aws/ebs-image/ebs-block-source.js';
import { mapEbsError } from '../../main/core/aws/ebs-image/ebs-errors.js';
import {
  AccessDeniedError,
  ExpiredTokenError,
  NetworkError,
  ServerError,
  SnapshotNotCompletedError,
  ThrottledError,
} from '../../main/core/aws/ebs-image/errors.js';

const SNAP = 'snap-0123456789abcdef0';
const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });
const SAMPLES = path.resolve('..', 'shared', 'testdata', 'ebs-direct-api-samples');
const haveSamples = fs.existsSync(path.join(SAMPLES, 'list-snapshot-blocks.response.json'));
if (!haveSamples) console.warn(`${SAMPLES} is absent: the AWS documentation listing sample test is skipped`);

describe('mapEbsError', () => {
  it('maps throttling by name and by HTTP status', () => {
    const modelled = new RequestThrottledException({ message: 'slow down', Message: 'slow down', Reason: 'ACCOUNT_THROTTLED', ...meta(400) });
    expect(mapEbsError(modelled, SNAP, 'ebs:GetSnapshotBlock')).toBeInstanceOf(ThrottledError);
    const generic = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', ...meta(400) });
    expect((mapEbsError(generic, SNAP, 'ebs:GetSnapshotBlock') as ThrottledError).what).toBe('ThrottlingException');
    for (const status of [429, 503]) {
      const e = Object.assign(new Error('x'), { name: 'Unknown', ...meta(status) });
      expect((mapEbsError(e, SNAP, 'ebs:GetSnapshotBlock') as ThrottledError).what).toBe(`HTTP ${status}`);
    }
  });

  it('names the missing permission on access denied', () => {
    const named = new AccessDeniedException({
      message: 'User: arn:aws:iam::111122223333:user/examiner is not authorized to perform: ebs:ListSnapshotBlocks on resource: arn:aws:ec2:us-east-1::snapshot/snap-1',
      Reason: 'UNAUTHORIZED_ACCOUNT',
      ...meta(403),
    });
    const a = mapEbsError(named, SNAP, 'ebs:GetSnapshotBlock') as AccessDeniedError;
    expect(a).toBeInstanceOf(AccessDeniedError);
    expect(a.action).toBe('ebs:ListSnapshotBlocks');
    expect(a.code).toBe('FORBIDDEN');
    const kms = new AccessDeniedException({ message: 'Access denied to the KMS key', Reason: 'DEPENDENCY_ACCESS_DENIED', ...meta(403) });
    expect((mapEbsError(kms, SNAP, 'ebs:GetSnapshotBlock') as AccessDeniedError).action).toMatch(/^kms:Decrypt/);
    const bare = new AccessDeniedException({ message: 'Access Denied', Reason: undefined, ...meta(403) });
    expect((mapEbsError(bare, SNAP, 'ebs:GetSnapshotBlock') as AccessDeniedError).message).toContain('ebs:GetSnapshotBlock');
  });

  it('maps expired tokens, pending snapshots, 5xx and dropped connections', () => {
    const token = new ValidationException({ message: 'The block token has expired.', Reason: 'INVALID_BLOCK_TOKEN', ...meta(400) });
    expect(mapEbsError(token, SNAP, 'ebs:GetSnapshotBlock')).toBeInstanceOf(ExpiredTokenError);
    const pending = new ValidationException({ message: `The snapshot ${SNAP} is in pending state.`, ...meta(400) });
    const p = mapEbsError(pending, SNAP, 'ebs:ListSnapshotBlocks');
    expect(p).toBeInstanceOf(SnapshotNotCompletedError);
    expect(p.message).toContain('not completed');
    expect(mapEbsError(new InternalServerException({ message: 'oops', ...meta(500) }), SNAP, 'x')).toBeInstanceOf(ServerError);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(mapEbsError(reset, SNAP, 'x')).toBeInstanceOf(NetworkError);
  });
});

describe('readBody', () => {
  it('reads a stream fully, and refuses one shorter or longer than DataLength', async () => {
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(3000, 2)];
    const got = await readBody(Readable.from(parts), 4000, new AbortController().signal);
    expect(got.equals(Buffer.concat(parts))).toBe(true);
    await expect(readBody(Readable.from(parts), 5000, new AbortController().signal)).rejects.toBeInstanceOf(NetworkError);
    await expect(readBody(Readable.from(parts), 10, new AbortController().signal)).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('ebsBlockSource with the real SDK client', () => {
  const block = Buffer.alloc(524288, 0xab);
  const checksum = createHash('sha256').update(block).digest('base64');
  let server: http.Server;
  let client: EBSClient;
  let listingBody = '';
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === `/snapshots/${SNAP}/blocks`) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(listingBody);
      } else if (url.pathname === `/snapshots/${SNAP}/blocks/7` && url.searchParams.get('blockToken') === 'good') {
        res.writeHead(200, { 'x-amz-Data-Length': String(block.length), 'x-amz-Checksum': checksum, 'x-amz-Checksum-Algorithm': 'SHA256' }).end(block);
      } else if (url.pathname === `/snapshots/${SNAP}/blocks/8`) {
        res.writeHead(429, { 'x-amzn-ErrorType': 'RequestThrottledException', 'content-type': 'application/json' }).end('{"Message":"slow down"}');
      } else {
        const body = JSON.stringify({ Message: 'The block token is not valid.', Reason: 'INVALID_BLOCK_TOKEN' });
        res.writeHead(400, { 'x-amzn-ErrorType': 'ValidationException', 'content-type': 'application/json' }).end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new EBSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      ...ebsClientSettings(8),
    });
  });

  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists with VolumeSize in GiB converted to bytes, and gets a block with its checksum', async () => {
    listingBody = JSON.stringify({ Blocks: [{ BlockIndex: 7, BlockToken: 'good' }], ExpiryTime: 1893456000.5, VolumeSize: 8, BlockSize: 524288, NextToken: 'n1' });
    const source = ebsBlockSource(client, { maxResults: 500 });
    const signal = new AbortController().signal;
    const listing = await source.list(SNAP, { startIndex: 3, signal });
    expect(listing).toEqual({ blocks: [{ index: 7, token: 'good' }], expiry: new Date(1893456000500), volumeSizeBytes: 8 * 1024 ** 3, blockSize: 524288, nextToken: 'n1' });
    expect(requests.at(-1)).toMatch(/maxResults=500/);
    expect(requests.at(-1)).toMatch(/startingBlockIndex=3/);
    const got = await source.get(SNAP, 7, 'good', { signal });
    expect(got.data.equals(block)).toBe(true);
    expect(got).toMatchObject({ checksumB64: checksum, algorithm: 'SHA256' });
    await expect(source.get(SNAP, 7, 'stale', { signal })).rejects.toBeInstanceOf(ExpiredTokenError);
    await expect(source.get(SNAP, 8, 'any', { signal })).rejects.toBeInstanceOf(ThrottledError);
  });

  it('serves concurrent gets through the configured socket pool, without SDK retries', async () => {
    const source = ebsBlockSource(client);
    const signal = new AbortController().signal;
    const before = requests.length;
    const got = await Promise.all(Array.from({ length: 8 }, () => source.get(SNAP, 7, 'good', { signal })));
    expect(got.every((g) => g.data.equals(block))).toBe(true);
    await expect(source.get(SNAP, 8, 'any', { signal })).rejects.toBeInstanceOf(ThrottledError);
    // maxAttempts 1: the throttled request was sent once; retrying is the engine's decision.
    expect(requests.length - before).toBe(9);
  });

  it.skipIf(!haveSamples)("refuses AWS's documentation sample, whose VolumeSize is in bytes, rather than guess", async () => {
    listingBody = fs.readFileSync(path.join(SAMPLES, 'list-snapshot-blocks.response.json'), 'utf8');
    const err = await ebsBlockSource(client).list(SNAP, { signal: new AbortController().signal }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/VolumeSize 32212254720/);
  });
});
