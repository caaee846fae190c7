import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';
import { openExt4, type Ext4FileSystem } from '../../main/core/images/fs-ext4/ext4-fs.js';
import { walk } from '../../main/core/images/fs-ext4/walk.js';
import { openRawForTest } from '../support/raw-image-reader.js';
import { fls, haveTools, icat } from '../support/fs-ext4-support.js';

const root = path.resolve(process.cwd(), '../shared/testdata/sleuthkit-test-images');
const image = path.join(root, 'data/image.dd');
const dfxml = path.join(root, 'fiwalk/image_dd.xml');
const noData = !existsSync(image) || !existsSync(dfxml);
const noTools = !haveTools('fls', 'icat');
if (noData) console.warn(`fs-ext4-tsk-image: skipped, ${image} or ${dfxml} is absent`);
if (noTools) console.warn('fs-ext4-tsk-image: skipped, needs sleuthkit (fls, icat)');

/** Published per-file hashes from fiwalk's DFXML: filename -> { md5, sha1 } (only fileobjects that carry hashes). */
function publishedHashes(): Map<string, { md5: string; sha1: string }> {
  const xml = readFileSync(dfxml, 'utf8');
  const out = new Map<string, { md5: string; sha1: string }>();
  for (const m of xml.matchAll(/<fileobject>([\s\S]*?)<\/fileobject>/g)) {
    const body = m[1]!;
    const name = /<filename>([^<]*)<\/filename>/.exec(body)?.[1];
    const md5 = /<hashdigest type='md5'>([0-9a-f]+)</.exec(body)?.[1];
    const sha1 = /<hashdigest type='sha1'>([0-9a-f]+)</.exec(body)?.[1];
    if (name && md5 && sha1) out.set(name, { md5, sha1 });
  }
  return out;
}

describe.skipIf(noData || noTools)('Sleuth Kit test image data/image.dd (ext2)', () => {
  let reader: ImageReader;
  let fs: Ext4FileSystem;
  const entries = new Map<string, { inode: number; type: string; deleted: boolean }>();

  beforeAll(async () => {
    reader = await openRawForTest(image);
    fs = await openExt4(reader);
    for await (const item of walk(fs)) {
      if (item.kind === 'entry') entries.set(item.path, item.entry);
    }
  });
  afterAll(async () => {
    await reader?.close();
  });

  it('lists exactly what fls -r -p lists, deleted names included', () => {
    const oracle = fls(image);
    const mine = [...entries].map(([p, e]) => `${p} ${e.type} ${e.inode} ${e.deleted}`).sort();
    const theirs = [...oracle].flatMap(([p, rs]) => rs.map((r) => `${p} ${r.type} ${r.inode} ${r.deleted}`)).sort();
    expect(mine).toEqual(theirs);
    expect(mine).toContain('a_directory/another_file~ file 0 true');
    expect(fs.kind).toBe('ext2');
  });

  it('gives every file the MD5 and SHA-1 published in fiwalk/image_dd.xml, and the bytes icat gives', async () => {
    const hashes = publishedHashes();
    let checked = 0;
    for (const [p, e] of entries) {
      if (e.deleted || e.type === 'dir') continue;
      const want = hashes.get(p);
      expect(want, `${p} is in the DFXML`).toBeDefined();
      const st = await fs.stat(e.inode);
      if (st.type === 'symlink') {
        // fiwalk and icat treat a fast symlink's data as a zero-filled run (the DFXML says fill='0'), so the
        // published hash is of st.size zero bytes; we return the target itself, which istat shows.
        expect(createHash('md5').update(Buffer.alloc(st.size)).digest('hex'), p).toBe(want!.md5);
        expect((await fs.read(e.inode, 0, st.size)).toString()).toBe(st.symlinkTarget);
        continue;
      }
      const data = await fs.read(e.inode, 0, st.size);
      expect(createHash('md5').update(data).digest('hex'), p).toBe(want!.md5);
      expect(createHash('sha1').update(data).digest('hex'), p).toBe(want!.sha1);
      expect(data.equals(icat(image, e.inode)), p).toBe(true);
      checked++;
    }
    expect(checked).toBe(3); // a_file, another_file, passwords.txt
  });

  it('matches the directory hashes too (raw directory blocks)', async () => {
    const hashes = publishedHashes();
    const dir = entries.get('a_directory')!;
    const data = await fs.read(dir.inode, 0, (await fs.stat(dir.inode)).size);
    expect(createHash('md5').update(data).digest('hex')).toBe(hashes.get('a_directory')!.md5);
  });

  it('reports the symlink target without following it', async () => {
    const link = entries.get('a_link')!;
    const st = await fs.stat(link.inode);
    expect(st.type).toBe('symlink');
    const istat = execFileSync('istat', [image, String(link.inode)]).toString();
    expect(istat).toContain(`symbolic link to: ${st.symlinkTarget}`);
  });
});
