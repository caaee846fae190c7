import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../../main/core/images/containers/open-image.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir = '';
let whole: Buffer;

describe('raw and split raw images', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'images-raw-'));
    whole = randomBytes(5 * 1024 * 1024 + 777);
    writeFileSync(path.join(dir, 'disk.dd'), whole);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a sparse raw image (holes read as zeros) without changing it', async () => {
    const file = path.join(dir, 'sparse.img');
    const fd = openSync(file, 'w');
    writeSync(fd, Buffer.from('START'), 0, 5, 0);
    writeSync(fd, Buffer.from('END'), 0, 3, 64 * 1024 * 1024 - 3);
    closeSync(fd);
    const before = statSync(file);
    const { kind, reader } = await openImage(file);
    expect(kind).toBe('raw');
    expect(reader.size).toBe(64 * 1024 * 1024);
    expect((await reader.read(0, 5)).toString()).toBe('START');
    expect((await reader.read(1024 * 1024, 4096)).every((b) => b === 0)).toBe(true);
    expect((await reader.read(reader.size - 3, 100)).toString()).toBe('END');
    expect((await reader.read(reader.size + 10, 5)).length).toBe(0);
    await expect(reader.read(-1, 5)).rejects.toThrow(/Invalid read/);
    await reader.close();
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  for (const [style, args, first] of [
    ['numeric', ['-d', '-a', '3', '--numeric-suffixes=1'], 'part.001'],
    ['alphabetic', [], 'part.aa'],
  ] as const) {
    it(`reads a ${style} split image made with split -b as the same bytes as the whole`, async () => {
      const sub = path.join(dir, style);
      execFileSync('mkdir', ['-p', sub]);
      execFileSync('split', ['-b', '1000000', ...args, path.join(dir, 'disk.dd'), path.join(sub, 'part.')]);
      const { kind, reader, metadata } = await openImage(path.join(sub, first));
      try {
        expect(kind).toBe('split-raw');
        expect(metadata.segmentCount).toBe(readdirSync(sub).length);
        expect(reader.size).toBe(whole.length);
        expect(sha256(await reader.read(0, reader.size))).toBe(sha256(whole));
        // A read spanning a segment boundary.
        expect((await reader.read(999_990, 20)).equals(whole.subarray(999_990, 1_000_010))).toBe(true);
      } finally {
        await reader.close();
      }
    });
  }

  it('refuses a split image with a missing middle segment', async () => {
    const sub = path.join(dir, 'gap');
    execFileSync('mkdir', ['-p', sub]);
    execFileSync('split', ['-b', '1000000', '-d', '-a', '3', '--numeric-suffixes=1', path.join(dir, 'disk.dd'), path.join(sub, 'p.')]);
    rmSync(path.join(sub, 'p.003'));
    await expect(openImage(path.join(sub, 'p.001'))).rejects.toThrow(/segment p\.003 is missing/);
    expect(readFileSync(path.join(sub, 'p.001')).length).toBe(1_000_000);
  });

  it('gives clear errors for a missing file and a folder', async () => {
    await expect(openImage(path.join(dir, 'nope.dd'))).rejects.toMatchObject({ code: 'FILE_MISSING' });
    await expect(openImage(dir)).rejects.toMatchObject({ code: 'NOT_A_FILE' });
  });
});
