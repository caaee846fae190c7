import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, chmodSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../../main/core/images/containers/open-image.js';
import { EwfReader } from '../../main/core/images/containers/ewf-reader.js';
import { verifyEwf } from '../../main/core/images/containers/ewf-verify.js';
import { parseSectionDescriptor } from '../../main/core/images/containers/ewf-format.js';

const hasEwf = spawnSync('ewfacquire', ['-V']).status === 0;
if (!hasEwf) console.warn('images-ewf: ewfacquire (ewf-tools) not installed; EWF oracle tests skipped');

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir = '';
let source = '';

/** Parses `ewfinfo` into label → value. */
function ewfinfo(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of execFileSync('ewfinfo', [file], { encoding: 'utf8' }).split('\n')) {
    const m = /^\t([^:\t]+):\t+(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** Formats an ISO date the way ewfinfo prints it (ctime, machine-local clock; tests run in UTC). */
function ctime(iso: string): string {
  const d = new Date(iso.endsWith('Z') ? iso : `${iso}Z`);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const time = d.toISOString().slice(11, 19);
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
}

function acquire(name: string, args: string[]): string {
  const target = path.join(dir, name);
  execFileSync('ewfacquire', ['-u', '-q', '-t', target, '-C', 'CASE-42', '-D', 'test disk', '-e', 'Ann Examiner',
    '-E', 'EV-7', '-N', 'made by vitest', '-d', 'sha1', ...args, source], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
  return `${target}.E01`;
}

describe.skipIf(!hasEwf)('EWF reader against ewfacquire/ewfinfo/ewfverify', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'images-ewf-'));
    source = path.join(dir, 'source.dd');
    // Random bytes (incompressible), a zero run (highly compressible), then text; sector-aligned because
    // ewfacquire 20140813 drops a trailing partial sector.
    const text = Buffer.from('caseward evidence '.repeat(30_000)).subarray(0, 512 * 1000);
    writeFileSync(source, Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.alloc(1024 * 1024), text]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, string[]][] = [
    ['deflate-fast', ['-c', 'deflate:fast']],
    ['none', ['-c', 'deflate:none']],
    ['segmented', ['-c', 'deflate:best', '-S', '1048576']],
  ];
  for (const [name, args] of cases) {
    it(`reads every byte and the metadata of a ${name} E01`, async () => {
      const e01 = acquire(name, args);
      const opened = await openImage(e01);
      try {
        expect(opened.kind).toBe('ewf');
        const all = await opened.reader.read(0, opened.reader.size);
        expect(sha256(all)).toBe(sha256(readFileSync(source)));
        // Unaligned reads across chunk boundaries.
        const src = readFileSync(source);
        for (const [o, l] of [[32767, 3], [100_000, 70_000], [src.length - 10, 100]] as const) {
          expect((await opened.reader.read(o, l)).equals(src.subarray(o, o + l))).toBe(true);
        }
        if (opened.kind !== 'ewf') throw new Error('unreachable');
        const m = opened.metadata;
        const info = ewfinfo(e01);
        expect(m.caseNumber).toBe(info['Case number']);
        expect(m.evidenceNumber).toBe(info['Evidence number']);
        expect(m.description).toBe(info['Description']);
        expect(m.examiner).toBe(info['Examiner name']);
        expect(m.notes).toBe(info['Notes']);
        expect(ctime(m.acquisitionDate!)).toBe(info['Acquisition date']);
        expect(ctime(m.systemDate!)).toBe(info['System date']);
        expect(String(m.sectorCount)).toBe(info['Number of sectors']);
        expect(String(m.chunkSize / m.bytesPerSector)).toBe(info['Sectors per chunk']);
        expect(m.storedMd5).toBe(info['MD5']);
        expect(m.storedSha1).toBe(info['SHA1']);
        if (name === 'segmented') expect(m.segmentCount).toBe(readdirSync(dir).filter((f) => f.startsWith('segmented.E')).length);
        if (name === 'segmented') expect(m.segmentCount).toBeGreaterThan(2);
        // 'none' stores chunks with their own Adler-32; the others compress with zlib.
        expect(opened.reader.chunkLocation(130).compressed).toBe(name !== 'none'); // text run; random chunks are stored even then
        const ours = await verifyEwf(opened.reader);
        const theirs = spawnSync('ewfverify', ['-q', e01], { encoding: 'utf8' });
        expect(theirs.status).toBe(0);
        expect(ours.ok).toBe(true);
        expect(ours.computedMd5).toBe(/MD5 hash calculated over data:\s+([0-9a-f]{32})/.exec(theirs.stdout)![1]);
        expect(ours.computedSha1).toBe(createHash('sha1').update(readFileSync(source)).digest('hex'));
      } finally {
        await opened.reader.close();
      }
    });
  }

  for (const [kind, level] of [['compressed', 'deflate:fast'], ['stored', 'deflate:none']] as const) it(`reports a corrupted ${kind} chunk with its offset, as ewfverify does`, async () => {
    const e01 = acquire(`tobreak-${kind}`, ['-c', level]);
    const bad = path.join(dir, `broken-${kind}.E01`);
    copyFileSync(e01, bad);
    chmodSync(bad, 0o600);
    const probe = await EwfReader.open(bad);
    const chunk = 130; // inside the text run, which compresses
    const loc = probe.chunkLocation(chunk);
    await probe.close();
    expect(loc.compressed).toBe(kind === 'compressed');
    const buf = readFileSync(bad);
    const fd = openSync(bad, 'r+');
    const at = loc.offset + Math.floor(loc.storedLength / 2);
    writeSync(fd, Buffer.from([buf[at]! ^ 0x5a]), 0, 1, at);
    // The copy is corrupted, the original untouched.
    expect(sha256(readFileSync(e01))).not.toBe(sha256(readFileSync(bad)));

    const reader = await EwfReader.open(bad);
    try {
      await expect(reader.read(chunk * reader.metadata.chunkSize, 10)).rejects.toThrow(/chunk 130 at media offset 4259840/);
      const result = await verifyEwf(reader);
      expect(result.ok).toBe(false);
      expect(result.corruptChunks.map((c) => c.mediaOffset)).toEqual([chunk * reader.metadata.chunkSize]);
      const theirs = spawnSync('ewfverify', ['-q', bad], { encoding: 'utf8' });
      expect(theirs.status).not.toBe(0);
      const spc = reader.metadata.chunkSize / 512;
      expect(theirs.stdout).toContain(`at sector(s): ${chunk * spc} - ${chunk * spc + spc - 1}`);
      // Both disagree with the stored MD5 (ewfverify hashes whatever it salvaged of the chunk; we hash zeros).
      expect(result.md5Matches).toBe(false);
      // Other chunks still read.
      expect((await reader.read(0, 4096)).equals(readFileSync(source).subarray(0, 4096))).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('falls back to table2 when the primary table is damaged, and refuses when both are', async () => {
    const e01 = acquire('tables', ['-c', 'deflate:fast']);
    const copy = path.join(dir, 'tables-copy.E01');
    const bytes = readFileSync(e01);
    const tables: number[] = [];
    for (let off = 13; ; ) {
      const d = parseSectionDescriptor(bytes.subarray(off, off + 76), off);
      if (d.type === 'table' || d.type === 'table2') tables.push(off);
      if (d.type === 'done' || d.type === 'next') break;
      off = d.next;
    }
    expect(tables.length).toBe(2);
    const entry = (t: number) => t + 76 + 24 + 4 * 7; // the 8th chunk's entry
    bytes[entry(tables[0]!)]! ^= 0x10;
    writeFileSync(copy, bytes);
    const reader = await EwfReader.open(copy);
    try {
      expect(sha256(await reader.read(0, reader.size))).toBe(sha256(readFileSync(source)));
    } finally {
      await reader.close();
    }
    bytes[entry(tables[1]!)]! ^= 0x10;
    writeFileSync(copy, bytes);
    await expect(EwfReader.open(copy)).rejects.toThrow(/chunk table and its backup are both damaged/);
  });

  it('refuses a truncated E01 and a segment set with a missing segment, clearly', async () => {
    const e01 = acquire('totrunc', ['-c', 'deflate:fast']);
    const cut = path.join(dir, 'cut.E01');
    copyFileSync(e01, cut);
    chmodSync(cut, 0o600);
    truncateSync(cut, Math.floor(readFileSync(cut).length / 2));
    await expect(openImage(cut)).rejects.toThrow(/truncated/);
    const seg = acquire('gappy', ['-c', 'deflate:fast', '-S', '1048576']);
    rmSync(seg.replace(/01$/, '03'));
    await expect(openImage(seg)).rejects.toThrow(/segment 3 is missing/);
    const empty = path.join(dir, 'empty.E01');
    writeFileSync(empty, '');
    await expect(openImage(empty)).rejects.toThrow(/empty/);
  });
});
