/**
 * Evidence that is a set of files: a segmented E01 from ewfacquire and a split raw image from
 * `split`, added by copy and in place. Oracles: `cat segs | sha256sum`, per-segment sha256sum,
 * and The Sleuth Kit's fls for what the case copy lists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fatToolsMissing, mkfsFat, mtools } from './fs-fat-build.js';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';

const missing = [fatToolsMissing(), spawnSync('ewfacquire', ['-V']).status === 0 ? null : 'missing ewfacquire (ewf-tools)'].filter(Boolean).join('; ');
if (missing) console.warn(`evidence-segments: ${missing}; segmented evidence tests skipped`);

let root = '';
let h: Harness;
let caseId = '';
let casePath = '';
const sets: Record<'split' | 'ewf', string[]> = { split: [], ewf: [] };
let diskSha = '';

/** `cat files | <tool>`: the set's hash as anyone can compute it. */
function catDigest(files: string[], tool = 'sha256sum'): string {
  return execFileSync('sh', ['-c', `cat "$@" | ${tool}`, 'sh', ...files], { encoding: 'utf8', maxBuffer: 1 << 20 }).split(' ')[0]!;
}
const digest = (file: string, tool = 'sha256sum') => execFileSync(tool, ['--', file], { encoding: 'utf8' }).split(' ')[0]!;

/** Names in the root folder as The Sleuth Kit's fls lists them (TSK's virtual $ entries left out); a split image is given segment by segment. */
function flsRoot(images: string[]): string[] {
  const out = execFileSync('fls', images, { encoding: 'utf8' });
  return out.split('\n').map((l) => /^\S\/\S (\* )?\d+:\t(.*)$/.exec(l)).filter((m) => m && !m[1] && !m[2]!.startsWith('$')).map((m) => m![2]!).sort();
}

/** A fresh copy of a set in its own folder, so a test can damage it without touching the others. */
function copySet(files: string[], label: string): string[] {
  const dir = path.join(root, label);
  fs.mkdirSync(dir);
  return files.map((f) => {
    const to = path.join(dir, path.basename(f));
    fs.copyFileSync(f, to);
    return to;
  });
}

async function add(file: string, mode: 'copy' | 'in-place') {
  const { jobId, artifactId } = await h.call('evidence.add', { caseId, sourcePath: file, mode });
  expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
  return h.call('evidence.get', { caseId, artifactId });
}

async function verify(artifactId: string) {
  const { jobId } = await h.call('evidence.verify', { caseId, artifactIds: [artifactId] });
  const job = await h.waitJob(caseId, jobId);
  const result = job.result as { outcomes: { result: string; message: string; actual: unknown }[] };
  return result.outcomes[0]!;
}

describe.skipIf(missing !== '')('segmented evidence (E01 set, split raw) is one artifact', () => {
  beforeAll(async () => {
    root = tempDir('caseward-segments-');
    const disk = path.join(root, 'disk.img');
    mkfsFat(disk, 12, 4096, 'SEGMENTS');
    for (const [name, size] of [['ALPHA.BIN', 700_000], ['BETA.TXT', 1_200_000], ['GAMMA.DAT', 900_000]] as const) {
      const f = path.join(root, name);
      fs.writeFileSync(f, randomBytes(size));
      mtools('mcopy', disk, [f, `::/${name}`]);
    }
    diskSha = digest(disk);
    const splitDir = path.join(root, 'split');
    fs.mkdirSync(splitDir);
    execFileSync('split', ['-d', '--numeric-suffixes=1', '-a', '3', '-b', '1M', disk, path.join(splitDir, 'disk.')]);
    sets.split = fs.readdirSync(splitDir).sort().map((n) => path.join(splitDir, n));
    const ewfDir = path.join(root, 'ewf');
    fs.mkdirSync(ewfDir);
    execFileSync('ewfacquire', ['-u', '-q', '-t', path.join(ewfDir, 'disk'), '-c', 'deflate:none', '-S', '1048576', '-C', 'SEG-1', '-D', 'segments', '-e', 'Tester', '-E', 'EV-1', '-N', 'vitest', disk], {
      stdio: 'ignore',
      env: { ...process.env, TZ: 'UTC' },
    });
    sets.ewf = fs.readdirSync(ewfDir).sort().map((n) => path.join(ewfDir, n));
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'SEG-1', title: 'Segmented evidence', client: '', timeZone: 'UTC' });
    caseId = c.id;
    casePath = c.path;
  });
  afterAll(async () => {
    await h?.dispose();
    if (root) removeTree(root);
  });

  it('has real multi-segment sets to work on', () => {
    expect(sets.split.map((f) => path.basename(f))).toEqual(['disk.001', 'disk.002', 'disk.003', 'disk.004']);
    expect(sets.ewf.length).toBeGreaterThan(2);
    expect(path.basename(sets.ewf[1]!)).toBe('disk.E02');
    expect(catDigest(sets.split)).toBe(diskSha);
  });

  for (const kind of ['split', 'ewf'] as const) {
    for (const mode of ['in-place', 'copy'] as const) {
      it(`${kind}, ${mode}: hashes every segment and the set, records them in custody, and opens as the image`, async () => {
        const files = sets[kind];
        const a = await add(files[0]!, mode);
        expect(a.state).toBe('complete');
        expect(a.size).toBe(files.reduce((n, f) => n + fs.statSync(f).size, 0));
        expect(a.hashes).toEqual({ md5: catDigest(files, 'md5sum'), sha1: catDigest(files, 'sha1sum'), sha256: catDigest(files) });
        if (kind === 'split') expect(a.hashes?.sha256).toBe(diskSha);
        const expected = files.map((f) => ({ name: path.basename(f), size: fs.statSync(f).size, md5: digest(f, 'md5sum'), sha1: digest(f, 'sha1sum'), sha256: digest(f) }));
        expect(a.segments).toEqual(expected);

        const log = await h.call('custody.list', { caseId, artifactId: a.id, limit: 100 });
        const added = log.events.find((e) => e.action === 'artifact.added')!;
        expect(added.details.segments).toEqual(expected);
        expect(added.details.segmentCount).toBe(files.length);

        if (mode === 'copy') {
          const dir = path.join(casePath, path.dirname(a.storedPath));
          expect(fs.readdirSync(dir).sort()).toEqual(files.map((f) => path.basename(f)));
          for (const f of files) {
            const copy = path.join(dir, path.basename(f));
            expect(digest(copy)).toBe(digest(f));
            expect(fs.statSync(copy).mode & 0o222).toBe(0);
          }
          // The case copy opens on its own and lists what The Sleuth Kit lists in the original.
          const overview = await h.call('images.open', { caseId, artifactId: a.id });
          expect(overview.kind).toBe(kind === 'ewf' ? 'ewf' : 'split-raw');
          expect(overview.size).toBe(fs.statSync(path.join(root, 'disk.img')).size);
          const listing = await h.call('images.list', { caseId, artifactId: a.id, partition: null });
          const names = listing.entries.filter((e) => !e.deleted && !e.name.startsWith('$')).map((e) => e.name).sort();
          const copies = files.map((f) => path.join(dir, path.basename(f)));
          const oracle = flsRoot(kind === 'ewf' ? [copies[0]!] : copies);
          expect(names).toEqual(oracle);
          expect(names).toEqual(expect.arrayContaining(['ALPHA.BIN', 'BETA.TXT', 'GAMMA.DAT']));
        }
        expect((await verify(a.id)).result).toBe('match');
        expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
      });
    }
  }

  it('verify names a changed segment and a missing one', async () => {
    const files = copySet(sets.split, 'damage');
    const a = await add(files[0]!, 'in-place');
    const fd = fs.openSync(files[1]!, 'r+');
    const one = Buffer.alloc(1);
    fs.readSync(fd, one, 0, 1, 4096);
    fs.writeSync(fd, Buffer.from([one[0]! ^ 0xff]), 0, 1, 4096);
    fs.closeSync(fd);
    const changed = await verify(a.id);
    expect(changed.result).toBe('mismatch');
    expect(changed.message).toContain('segment disk.002 has changed');
    expect(changed.message).not.toContain('disk.001');

    fs.rmSync(files[2]!);
    const gone = await verify(a.id);
    expect(gone.result).toBe('missing');
    expect(gone.message).toContain('segment disk.003 is missing');
    expect(gone.actual).toBeNull();
    const log = await h.call('custody.list', { caseId, artifactId: a.id, limit: 100 });
    const last = log.events.filter((e) => e.action === 'artifact.verified').at(-1)!;
    expect(last.details.segments).toMatchObject([{ name: 'disk.001', result: 'match' }, { name: 'disk.002', result: 'mismatch' }, { name: 'disk.003', result: 'missing' }, { name: 'disk.004', result: 'match' }]);
  });

  it('refuses a set with a gap, naming the missing segment, and adds nothing', async () => {
    const ewf = copySet(sets.ewf, 'gap-ewf');
    fs.rmSync(ewf[1]!);
    const e = await h.fail('evidence.add', { caseId, sourcePath: ewf[0]!, mode: 'copy' });
    expect(e.code).toBe('FILE_MISSING');
    expect(e.message).toContain('disk.E02 is missing');
    const split = copySet(sets.split, 'gap-split');
    fs.rmSync(split[1]!);
    const s = await h.fail('evidence.add', { caseId, sourcePath: split[0]!, mode: 'in-place' });
    expect(s.message).toContain('disk.002 is missing');
    const before = (await h.call('evidence.list', { caseId })).length;
    expect(before).toBe(5); // the four sets above and the damaged one; nothing from the refusals
  });

  it('refuses a later segment added alone, pointing to the first', async () => {
    const e = await h.fail('evidence.add', { caseId, sourcePath: sets.ewf[1]!, mode: 'copy' });
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('add disk.E01');
    const s = await h.fail('evidence.add', { caseId, sourcePath: sets.split[2]!, mode: 'in-place' });
    expect(s.code).toBe('INVALID_INPUT');
    expect(s.message).toContain('add disk.001');
  });

  it('keeps a single file a single file (no segments)', async () => {
    const a = await add(path.join(root, 'disk.img'), 'in-place');
    expect(a.segments).toBeUndefined();
    expect(a.hashes?.sha256).toBe(diskSha);
  });
});
