import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openImage } from '../../main/core/images/containers/open-image.js';
import { verifyEwf } from '../../main/core/images/containers/ewf-verify.js';
import { listVolumes } from '../../main/core/images/volumes/list-volumes.js';

const data = path.resolve(__dirname, '../../../shared/testdata/sleuthkit-test-images/data');
const absent = !existsSync(path.join(data, 'image.E01'));
if (absent) console.warn(`images-testdata: ${data} is absent; Sleuth Kit test image checks skipped`);
const hasMmls = spawnSync('mmls', ['-V']).error === undefined;
if (!hasMmls) console.warn('images-testdata: mmls not installed; live mmls comparison skipped');

describe.skipIf(absent)('Sleuth Kit test images', () => {
  it('image.E01 holds the same bytes as image.dd and its stored MD5 verifies', async () => {
    const opened = await openImage(path.join(data, 'image.E01'));
    try {
      if (opened.kind !== 'ewf') throw new Error(`expected ewf, got ${opened.kind}`);
      const dd = readFileSync(path.join(data, 'image.dd'));
      expect(opened.reader.size).toBe(dd.length);
      expect((await opened.reader.read(0, dd.length)).equals(dd)).toBe(true);
      expect(opened.metadata.storedMd5).toBe('3ebb0b7dcd6b5fcd59a0020625d70994');
      const ticks: number[] = [];
      const v = await verifyEwf(opened.reader, { onProgress: (done, total) => ticks.push(done / total) });
      expect(v).toMatchObject({ ok: true, md5Matches: true, corruptChunks: [] });
      expect(ticks.at(-1)).toBe(1);
      const stop = new AbortController();
      stop.abort();
      await expect(verifyEwf(opened.reader, { signal: stop.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(v.computedMd5).toBe(createHash('md5').update(dd).digest('hex'));
    } finally {
      await opened.reader.close();
    }
  });

  it('imageformat_mmls_1.E01 (FTK Imager) shows its metadata, verifies MD5 and SHA-1, and lists the DOS partitions', async () => {
    const file = path.join(data, 'imageformat_mmls_1.E01');
    const opened = await openImage(file);
    try {
      if (opened.kind !== 'ewf') throw new Error(`expected ewf, got ${opened.kind}`);
      expect(opened.metadata).toMatchObject({
        caseNumber: '1',
        evidenceNumber: '1',
        description: 'Test E01 for sleuthkit',
        examiner: 'Rishwanth',
        notes: 'Used to test sleuthkit libraries',
        acquisitionDate: '2018-05-16T15:05:08',
        mediaSize: 62915072,
        storedMd5: '8ec671e301095c258224aad701740503',
        storedSha1: '067bc6ab29685ee19b0cf82c9d15ac510d1e7d95',
      });
      const v = await verifyEwf(opened.reader);
      expect(v).toMatchObject({ ok: true, md5Matches: true, sha1Matches: true });
      const layout = await listVolumes(opened.reader);
      expect(layout.scheme).toBe('mbr');
      // The expected mmls rows for this image (MANIFEST.txt: verified with mmls); tools/vstools/mmls_output/* belong to exfat1.E01.
      const rows = layout.partitions.map((p) => [p.start / 512, p.size / 512, p.type]);
      expect(rows).toEqual([
        [128, 55296, 'NTFS / exFAT (0x07)'],
        [55424, 61440, 'NTFS / exFAT (0x07)'],
      ]);
      if (hasMmls) {
        const live = execFileSync('mmls', [file], { encoding: 'utf8' })
          .split('\n')
          .map((l) => /^\d+:\s+\d+:\d+\s+(\d+)\s+\d+\s+(\d+)\s+(.*)$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [Number(m[1]), Number(m[2]), m[3]!.trim()]);
        expect(rows).toEqual(live);
      }
    } finally {
      await opened.reader.close();
    }
  });

  it('bogus.E01 (0 bytes) and a raw image under an E01 name give clear errors', async () => {
    await expect(openImage(path.join(data, 'bogus.E01'))).rejects.toThrow(/empty/);
    await expect(openImage(path.join(data, 'image.dd'))).resolves.toMatchObject({ kind: 'raw' });
  });
});
