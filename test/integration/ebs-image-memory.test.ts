/**
 * Bounded memory on a 2 GiB snapshot (25% unlisted) served with 50 ms latency per request at the
 * default concurrency: RSS is sampled during the download and must stay far below the image size.
 * Throughput is printed next to the ideal (concurrency × block size / latency); it is a figure for
 * the report, not a timed assertion.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot } from '../../main/core/aws/ebs-image/download-snapshot.js';
import { coreutilsDigest } from '../support/evidence-files.js';
import { BLOCK, FakeBlockSource, patternBlock } from '../support/ebs-fake-source.js';

const MiB = 1024 * 1024;
const VOLUME = 2 * 1024 * MiB;
const LATENCY_MS = 50;
const listed = (i: number): boolean => i % 4 !== 3;

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ebs-memory-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** SHA-256 of the image the fake serves, computed independently of the engine (zeros for holes). */
function expectedSha256(): string {
  const h = createHash('sha256');
  const zero = Buffer.alloc(BLOCK);
  for (let i = 0; i < VOLUME / BLOCK; i += 1) h.update(listed(i) ? patternBlock(i) : zero);
  return h.digest('hex');
}

describe('downloadSnapshot memory', () => {
  it('keeps RSS bounded on a 2 GiB snapshot with 50 ms latency', async () => {
    const source = new FakeBlockSource('snap-0fedcba987654321', VOLUME, listed, patternBlock, { latencyMs: LATENCY_MS }, 1000);
    const dest = path.join(dir, 'big.img');
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let peakBuffers = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 20);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let result;
    try {
      result = await downloadSnapshot({ source, snapshotId: 'snap-0fedcba987654321', dest, manifestPath: `${dest}.manifest.sqlite` });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const listedMiB = (result.blocksListed * BLOCK) / MiB;
    const ideal = (64 * BLOCK) / MiB / (LATENCY_MS / 1000);
    console.log(
      [
        `ebs-image memory: 2 GiB volume, ${result.blocksListed} blocks listed, ${result.blocksAbsent} absent, ${LATENCY_MS} ms latency, concurrency 64`,
        `  time ${seconds.toFixed(2)} s; fetched ${(listedMiB / seconds).toFixed(0)} MiB/s (ideal ${ideal.toFixed(0)} MiB/s = ${((listedMiB / seconds / ideal) * 100).toFixed(0)}%); image ${(VOLUME / MiB / seconds).toFixed(0)} MiB/s`,
        `  CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s for 2 GiB, all threads of this process (engine, hash workers and the fake)`,
        `  RSS baseline ${(baseline / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB (+${((peak - baseline) / MiB).toFixed(0)} MiB); peak arrayBuffers ${(peakBuffers / MiB).toFixed(0)} MiB`,
      ].join('\n'),
    );
    expect(result.blocksListed).toBe(3072);
    expect(result.blocksAbsent).toBe(1024);
    expect(result.sha256).toBe(expectedSha256());
    expect(await coreutilsDigest('sha256sum', dest)).toBe(result.sha256);
    // The default memory budget is 256 MiB of blocks; the rest is the hash queue and the runtime.
    expect(peak - baseline).toBeLessThan(450 * MiB);
  });
});
