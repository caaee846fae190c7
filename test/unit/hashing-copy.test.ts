import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  copyAndHash,
  hashFile,
  RING_SLOT_COUNT,
  RING_SLOT_SIZE,
} from '../../main/core/hashing/index.js';
import { expectAppError, missingHashTools, toolHashes, useHashTempDir } from '../support/hash-tools.js';

const toolsMissing = missingHashTools();

// A fixed, old access and modification time: reading must change neither.
const OLD_TIME = new Date('2001-02-03T04:05:06.000Z');
const tmp = useHashTempDir('caseward-copy-');

function makeSource(name: string, size: number): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, randomBytes(size));
  fs.utimesSync(file, OLD_TIME, OLD_TIME);
  return file;
}


describe('copyAndHash', () => {
  const sizes: Array<[string, number]> = [
    ['a small file (in-thread)', 1000],
    ['an empty file', 0],
    ['a file spanning the ring twice over', RING_SLOT_SIZE * RING_SLOT_COUNT * 2 + 3],
  ];
  for (const [label, size] of sizes) {
    it.skipIf(toolsMissing.length > 0)(`copies ${label} byte for byte, read-only, source untouched`, async () => {
      const src = makeSource(`src-${size}`, size);
      const before = fs.statSync(src);
      const srcHashes = await toolHashes(src);
      const dest = path.join(tmp.dir, `dest-${size}`);

      const result = await copyAndHash(src, dest);

      expect(result).toEqual({ size, ...srcHashes });
      expect(await toolHashes(dest)).toEqual(srcHashes);
      expect(fs.readFileSync(dest).equals(fs.readFileSync(src))).toBe(true);
      expect(fs.statSync(dest).mode & 0o777).toBe(0o444);
      const after = fs.statSync(src);
      expect(after.mtimeMs).toBe(before.mtimeMs);
      expect(after.mode).toBe(before.mode);
      expect(await toolHashes(src)).toEqual(srcHashes);
    });
  }

  it.skipIf(process.platform !== 'linux')('leaves the source access time as it was (O_NOATIME)', async () => {
    const src = makeSource('atime-src', RING_SLOT_SIZE * 2);
    await copyAndHash(src, path.join(tmp.dir, 'atime-dest'));
    await hashFile(src);
    // Without O_NOATIME, relatime would move an access time this old to now.
    expect(fs.statSync(src).atime.toISOString()).toBe(OLD_TIME.toISOString());
  });

  it('refuses an existing destination and leaves it alone', async () => {
    const src = makeSource('exists-src', RING_SLOT_SIZE + 10);
    const dest = path.join(tmp.dir, 'exists-dest');
    fs.writeFileSync(dest, 'the examiner’s earlier copy');
    const err = await expectAppError(() => copyAndHash(src, dest), 'EXISTS');
    expect(err.message).toContain(dest);
    expect(fs.readFileSync(dest, 'utf8')).toBe('the examiner’s earlier copy');
  });

  it.skipIf(toolsMissing.length > 0)('cancelled mid-way: CANCELLED, no destination left, source intact', async () => {
    const src = makeSource('abort-src', RING_SLOT_SIZE * RING_SLOT_COUNT * 2);
    const srcHashes = await toolHashes(src);
    const dest = path.join(tmp.dir, 'abort-dest');
    const controller = new AbortController();
    let calls = 0;
    await expectAppError(
      () =>
        copyAndHash(src, dest, {
          signal: controller.signal,
          onProgress: () => {
            calls += 1;
            if (calls === 3) controller.abort();
          },
        }),
      'CANCELLED',
    );
    expect(fs.existsSync(dest)).toBe(false);
    expect(await toolHashes(src)).toEqual(srcHashes);
    // The same destination can then be written by a fresh attempt.
    expect(await copyAndHash(src, dest)).toEqual({ size: RING_SLOT_SIZE * RING_SLOT_COUNT * 2, ...srcHashes });
  });

  it('a missing source creates no destination', async () => {
    const dest = path.join(tmp.dir, 'never-created');
    const err = await expectAppError(() => copyAndHash(path.join(tmp.dir, 'nope.dd'), dest), 'FILE_MISSING');
    expect(err.message).toContain('nope.dd');
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('names a destination folder that does not exist', async () => {
    const src = makeSource('nofolder-src', 10);
    const dest = path.join(tmp.dir, 'no-such-folder', 'dest');
    const err = await expectAppError(() => copyAndHash(src, dest), 'FILE_MISSING');
    expect(err.message).toContain(dest);
  });

  it('a source that grows during the copy: FILE_CHANGED and no destination', async () => {
    const src = makeSource('grow-src', RING_SLOT_SIZE * 3);
    const dest = path.join(tmp.dir, 'grow-dest');
    let appended = false;
    const err = await expectAppError(
      () =>
        copyAndHash(src, dest, {
          onProgress: () => {
            if (!appended) fs.appendFileSync(src, 'late bytes');
            appended = true;
          },
        }),
      'FILE_CHANGED',
    );
    expect(err.message).toContain(String(RING_SLOT_SIZE * 3));
    expect(err.message).toContain(String(RING_SLOT_SIZE * 3 + 10));
    expect(fs.existsSync(dest)).toBe(false);
  });
});
