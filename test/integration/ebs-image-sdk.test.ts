/**
 * Smoke test of the whole path through the real SDK: downloadSnapshot → ebsBlockSource →
 * @aws-sdk/client-ebs → HTTP on 127.0.0.1, served by a minimal responder with 50 ms latency per
 * request. The protocol-level fake (test/aws-fake/) will replace the responder; this proves the
 * adapter streams, pages and runs concurrently, and prints the throughput for the report.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createHash, randomFillSync } from 'node:crypto';
import { EBSClient } from '@aws-sdk/client-ebs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot } from '../../main/core/aws/ebs-image/download-snapshot.js';
import { ebsBlockSource, ebsClientSettings } from '../../main/core/aws/ebs-image/ebs-block-source.js';
import { coreutilsDigest } from '../support/evidence-files.js';
import { BLOCK } from '../support/ebs-fake-source.js';

const SNAP = 'snap-05d4a1b2c3d4e5f60';
const GIB = 1024 ** 3;
const LATENCY_MS = 50;
const listed = (i: number): boolean => i % 4 !== 0;

let dir: string;
let image: string;
let fd: number;
let server: http.Server;
let endpoint: string;
let inFlight = 0;
let maxInFlight = 0;
const checksums = new Map<number, string>();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ebs-sdk-'));
  // A 1 GiB volume (VolumeSize is whole GiB), 3 blocks in 4 with data, 1 in 4 never written.
  image = path.join(dir, 'volume.img');
  fd = fs.openSync(image, 'w+');
  fs.ftruncateSync(fd, GIB);
  const buf = Buffer.alloc(BLOCK);
  for (let i = 0; i < 2048; i += 1) {
    if (!listed(i)) continue;
    randomFillSync(buf);
    fs.writeSync(fd, buf, 0, BLOCK, i * BLOCK);
    checksums.set(i, createHash('sha256').update(buf).digest('base64'));
  }
  const indices = [...checksums.keys()];
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/snapshots\/([^/]+)\/blocks(?:\/(\d+))?$/.exec(url.pathname);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      if (!m || m[1] !== SNAP) return void res.writeHead(404).end();
      if (m[2] === undefined) {
        const size = Number(url.searchParams.get('maxResults'));
        const start = Number(url.searchParams.get('pageToken') ?? url.searchParams.get('startingBlockIndex') ?? 0);
        const from = indices.filter((i) => i >= start);
        const body = {
          Blocks: from.slice(0, size).map((i) => ({ BlockIndex: i, BlockToken: `t-${i}` })),
          ExpiryTime: Date.now() / 1000 + 600,
          VolumeSize: 1,
          BlockSize: BLOCK,
          ...(from.length > size ? { NextToken: String(from[size]) } : {}),
        };
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
      const index = Number(m[2]);
      if (url.searchParams.get('blockToken') !== `t-${index}`) return void res.writeHead(400).end();
      const data = Buffer.alloc(BLOCK);
      fs.readSync(fd, data, 0, BLOCK, index * BLOCK);
      res.writeHead(200, { 'x-amz-Data-Length': String(BLOCK), 'x-amz-Checksum': checksums.get(index)!, 'x-amz-Checksum-Algorithm': 'SHA256' });
      res.end(data);
    }, LATENCY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('downloadSnapshot through @aws-sdk/client-ebs', () => {
  it('images the volume over HTTP with 64 concurrent requests and equals coreutils', async () => {
    const client = new EBSClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      ...ebsClientSettings(64),
    });
    const dest = path.join(dir, 'out.img');
    const started = performance.now();
    const result = await downloadSnapshot({ source: ebsBlockSource(client, { maxResults: 500 }), snapshotId: SNAP, dest, manifestPath: `${dest}.manifest.sqlite` });
    const seconds = (performance.now() - started) / 1000;
    client.destroy();
    const fetchedMiB = (result.blocksFetched * BLOCK) / 1024 ** 2;
    console.log(
      `ebs-image sdk: ${result.blocksFetched} blocks (${fetchedMiB} MiB) in ${seconds.toFixed(2)} s = ${(fetchedMiB / seconds).toFixed(0)} MiB/s fetched, ` +
        `ideal ${(64 * 0.5) / (LATENCY_MS / 1000)} MiB/s; image 1024 MiB at ${(1024 / seconds).toFixed(0)} MiB/s; server saw ${maxInFlight} requests in flight`,
    );
    expect(result.blocksListed).toBe(1536);
    expect(result.blocksAbsent).toBe(512);
    expect(maxInFlight).toBeGreaterThan(50);
    expect(maxInFlight).toBeLessThanOrEqual(64);
    expect(result.sha256).toBe(await coreutilsDigest('sha256sum', image));
    expect(result.md5).toBe(await coreutilsDigest('md5sum', dest));
  });
});
