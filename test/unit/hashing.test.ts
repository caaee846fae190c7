import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  hashFile,
  RING_SLOT_COUNT,
  RING_SLOT_SIZE,
  setHashWorkerScript,
  shutdownHashWorkers,
  SMALL_FILE_LIMIT,
} from '../../main/core/hashing/index.js';
import { expectAppError, missingHashTools, toolHashes, useHashTempDir } from '../support/hash-tools.js';

const run = promisify(execFile);
const toolsMissing = missingHashTools();

const tmp = useHashTempDir('caseward-hashing-');

function writeFile(name: string, content: Buffer): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('hashFile agrees with md5sum, sha1sum and sha256sum', () => {
  const cases: Array<[string, number]> = [
    ['0 bytes', 0],
    ['1 byte', 1],
    ['just under the in-thread limit', SMALL_FILE_LIMIT - 1],
    ['exactly the in-thread limit (first size through the workers)', SMALL_FILE_LIMIT],
    ['exactly one ring slot', RING_SLOT_SIZE],
    ['one ring slot + 1 byte', RING_SLOT_SIZE + 1],
    ['2.5 rings of random data (slots are reused)', Math.floor(RING_SLOT_SIZE * RING_SLOT_COUNT * 2.5) + 17],
  ];
  for (const [label, size] of cases) {
    it.skipIf(toolsMissing.length > 0)(label, async () => {
      const file = writeFile(`f-${size}`, randomBytes(size));
      const progress: Array<[number, number]> = [];
      const ours = await hashFile(file, { onProgress: (done, total) => progress.push([done, total]) });
      expect(ours).toEqual({ size, ...(await toolHashes(file)) });
      // Progress climbs to the whole file and always names the file's size as the total.
      expect(progress.at(-1)).toEqual([size, size]);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
      expect(progress.every(([, total]) => total === size)).toBe(true);
      fs.rmSync(file);
    });
  }

  it.skipIf(toolsMissing.length > 0)('hashes two large files at the same time', async () => {
    const a = writeFile('a', randomBytes(RING_SLOT_SIZE * 3 + 5));
    const b = writeFile('b', randomBytes(RING_SLOT_SIZE * 2 + 9));
    const [ha, hb] = await Promise.all([hashFile(a), hashFile(b)]);
    expect(ha).toEqual({ size: RING_SLOT_SIZE * 3 + 5, ...(await toolHashes(a)) });
    expect(hb).toEqual({ size: RING_SLOT_SIZE * 2 + 9, ...(await toolHashes(b)) });
  });
});

describe('hashFile errors', () => {
  it('names a missing file', async () => {
    const missing = path.join(tmp.dir, 'no-such-file.dd');
    const err = await expectAppError(() => hashFile(missing), 'FILE_MISSING');
    expect(err.message).toContain(missing);
  });

  it('refuses a folder', async () => {
    const err = await expectAppError(() => hashFile(tmp.dir), 'NOT_A_FILE');
    expect(err.message).toContain(tmp.dir);
    expect(err.message).toMatch(/folder/);
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe without waiting for a writer', async () => {
    const fifo = path.join(tmp.dir, 'pipe');
    await run('mkfifo', [fifo]);
    const err = await expectAppError(() => hashFile(fifo), 'NOT_A_FILE');
    expect(err.message).toContain(fifo);
  });

  it('rejects at once when already cancelled', async () => {
    const file = writeFile('small', randomBytes(10));
    const err = await expectAppError(() => hashFile(file, { signal: AbortSignal.abort() }), 'CANCELLED');
    expect(err.message).toContain(file);
  });

  it.skipIf(toolsMissing.length > 0)('cancels mid-way, then the next file hashes correctly', async () => {
    const file = writeFile('cancel-me', randomBytes(RING_SLOT_SIZE * RING_SLOT_COUNT * 2));
    const controller = new AbortController();
    let calls = 0;
    await expectAppError(
      () =>
        hashFile(file, {
          signal: controller.signal,
          onProgress: () => {
            calls += 1;
            if (calls === 2) controller.abort();
          },
        }),
      'CANCELLED',
    );
    expect(calls).toBeLessThan(RING_SLOT_COUNT * 2);
    // The workers that saw the abort are reused (or replaced) and give right answers.
    expect(await hashFile(file)).toEqual({ size: RING_SLOT_SIZE * RING_SLOT_COUNT * 2, ...(await toolHashes(file)) });
  });

  it('says clearly when the worker script cannot be found', async () => {
    await shutdownHashWorkers();
    const file = writeFile('needs-workers', randomBytes(SMALL_FILE_LIMIT + 1));
    setHashWorkerScript(path.join(tmp.dir, 'missing-hash-worker.cjs'));
    try {
      const err = await expectAppError(() => hashFile(file), 'INTERNAL');
      expect(err.message).toContain('missing-hash-worker.cjs');
    } finally {
      setHashWorkerScript(undefined);
    }
    // Small files never need the workers.
    expect((await hashFile(writeFile('tiny', Buffer.from('abc')))).size).toBe(3);
  });

  it('reports a worker that dies mid-way instead of hanging', async () => {
    await shutdownHashWorkers();
    const crashing = path.join(tmp.dir, 'crashing-worker.cjs');
    fs.writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const file = writeFile('crash', randomBytes(RING_SLOT_SIZE * RING_SLOT_COUNT * 2));
    setHashWorkerScript(crashing);
    try {
      const err = await expectAppError(() => hashFile(file), 'INTERNAL');
      expect(err.message).toMatch(/hashing worker failed/i);
    } finally {
      setHashWorkerScript(undefined);
    }
  });
});
