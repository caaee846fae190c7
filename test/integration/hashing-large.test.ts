import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hashFile, RING_SLOT_SIZE, SMALL_FILE_LIMIT } from '../../main/core/hashing/index.js';
import { expectAppError, missingHashTools, onPath, toolHashes, useHashTempDir } from '../support/hash-tools.js';

const run = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsMissing = missingHashTools();

const tmp = useHashTempDir('caseward-hashing-large-');

describe('large files', () => {
  it.skipIf(toolsMissing.length > 0)('a 4 GiB sparse file (past the 32-bit mark) matches the tools', async () => {
    const file = path.join(tmp.dir, 'sparse.img');
    const size = 4 * 1024 ** 3 + 12345;
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, size);
    const fd = fs.openSync(file, 'r+');
    // Data at the start, across a slot boundary, across the 2 GiB and 4 GiB (32-bit) marks, and in the last bytes.
    for (const offset of [0, RING_SLOT_SIZE - 3, 2 ** 31 - 3, 2 ** 32 - 3, size - 7]) {
      fs.writeSync(fd, Buffer.from(`caseward@${offset}`.slice(0, 7)), 0, 7, offset);
    }
    fs.closeSync(fd);
    const [ours, tools] = await Promise.all([hashFile(file), toolHashes(file)]);
    expect(ours).toEqual({ size, ...tools });
    fs.rmSync(file);
  }, 300_000);
});

describe('a file that changes while it is hashed', () => {
  for (const [label, size] of [
    ['through the workers', RING_SLOT_SIZE * 3],
    ['in-thread', SMALL_FILE_LIMIT - 100],
  ] as const) {
    it(`grows (${label}): FILE_CHANGED naming both sizes`, async () => {
      const file = path.join(tmp.dir, `grows-${size}`);
      fs.writeFileSync(file, randomBytes(size));
      let appended = false;
      const err = await expectAppError(
        () =>
          hashFile(file, {
            onProgress: () => {
              if (!appended) fs.appendFileSync(file, Buffer.alloc(4096, 1));
              appended = true;
            },
          }),
        'FILE_CHANGED',
      );
      expect(err.message).toContain(file);
      expect(err.message).toContain(`${size} bytes`);
      expect(err.message).toContain(`${size + 4096} bytes`);
    });
  }

  it('shrinks: FILE_CHANGED naming both sizes', async () => {
    const file = path.join(tmp.dir, 'shrinks');
    const size = RING_SLOT_SIZE * 3;
    fs.writeFileSync(file, randomBytes(size));
    let truncated = false;
    const err = await expectAppError(
      () =>
        hashFile(file, {
          onProgress: () => {
            if (!truncated) fs.truncateSync(file, RING_SLOT_SIZE + 1);
            truncated = true;
          },
        }),
      'FILE_CHANGED',
    );
    expect(err.message).toContain(file);
    expect(err.message).toContain(`${size} bytes`);
    expect(err.message).toContain(`${RING_SLOT_SIZE + 1} bytes`);
  });
});

// Hashes published with public forensic test images (see that folder's MANIFEST.txt).
const imagesDir = path.resolve(projectRoot, '../shared/testdata/sleuthkit-test-images');
const haveImages = fs.existsSync(path.join(imagesDir, 'MANIFEST.txt'));
if (!haveImages) console.warn(`skipped: published-hash tests, ${imagesDir} is absent`);
const haveEwf = onPath('ewfinfo') && onPath('ewfexport');
if (!haveEwf) console.warn('skipped: E01 stored-hash checks, ewf-tools (ewfinfo, ewfexport) not installed');

/** The digests an E01 stores for its media, as ewfinfo prints them. */
async function ewfStoredHashes(e01: string): Promise<{ md5?: string; sha1?: string }> {
  const { stdout } = await run('ewfinfo', [e01]);
  return {
    md5: /^\s*MD5:\s*([0-9a-f]{32})\s*$/m.exec(stdout)?.[1],
    sha1: /^\s*SHA1:\s*([0-9a-f]{40})\s*$/m.exec(stdout)?.[1],
  };
}

describe('published hashes of The Sleuth Kit test images', () => {
  it.skipIf(!haveImages)('image.dd has the MD5 stored in image.E01', async () => {
    const manifest = fs.readFileSync(path.join(imagesDir, 'MANIFEST.txt'), 'utf8');
    const published = /image\.E01 \(EWF, stored MD5 ([0-9a-f]{32})\)/.exec(manifest)?.[1];
    expect(published).toMatch(/^[0-9a-f]{32}$/);
    const ours = await hashFile(path.join(imagesDir, 'data/image.dd'));
    expect(ours.size).toBe(102400);
    expect(ours.md5).toBe(published);
    if (haveEwf) {
      const stored = await ewfStoredHashes(path.join(imagesDir, 'data/image.E01'));
      expect(stored.md5).toBe(published);
      // No SHA-1 is published for this image; if a newer E01 carries one, it must match too.
      if (stored.sha1) expect(ours.sha1).toBe(stored.sha1);
    }
  });

  it.skipIf(!haveImages || !haveEwf)(
    'imageformat_mmls_1.E01 media (60 MiB, through the workers) has its stored MD5 and SHA-1',
    async () => {
      const e01 = path.join(imagesDir, 'data/imageformat_mmls_1.E01');
      const stored = await ewfStoredHashes(e01);
      const manifest = fs.readFileSync(path.join(imagesDir, 'MANIFEST.txt'), 'utf8');
      expect(manifest).toContain(`stored MD5 ${stored.md5} SHA1 ${stored.sha1}`);
      const target = path.join(tmp.dir, 'mmls');
      await run('ewfexport', ['-q', '-u', '-f', 'raw', '-t', target, e01]);
      const ours = await hashFile(`${target}.raw`);
      expect(ours.size).toBe(62915072);
      expect(ours.md5).toBe(stored.md5);
      expect(ours.sha1).toBe(stored.sha1);
    },
  );
});
