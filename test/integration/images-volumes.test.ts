import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../../main/core/images/containers/open-image.js';
import { listVolumes, openPartition, type Partition } from '../../main/core/images/volumes/list-volumes.js';

const has = (tool: string, arg = '--version') => spawnSync(tool, [arg]).error === undefined;
const ready = has('sfdisk') && has('mmls', '-V');
if (!ready) console.warn('images-volumes: sfdisk or mmls (sleuthkit) missing; volume tests skipped');
const hasMkfs = has('mkfs.ext4', '-V');

let dir = '';

/** Data rows of `mmls` output: start, length (sectors) and description, without Meta/unallocated rows. */
function mmls(file: string): { start: number; length: number; desc: string }[] {
  const out = execFileSync('mmls', [file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => /^\d+:\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'Meta' && !m[1]!.startsWith('---'))
    .map((m) => ({ start: Number(m[2]), length: Number(m[4]), desc: m[5]!.trim() }));
}

function disk(name: string, mib: number, script: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, '');
  truncateSync(file, mib * 1024 * 1024);
  execFileSync('sfdisk', ['--no-reread', '--no-tell-kernel', file], { input: script, stdio: ['pipe', 'ignore', 'pipe'] });
  return file;
}

async function layoutOf(file: string) {
  const { reader } = await openImage(file);
  try {
    return await listVolumes(reader);
  } finally {
    await reader.close();
  }
}

const asSectors = (ps: Partition[], key: (p: Partition) => string) =>
  ps.map((p) => ({ start: p.start / 512, length: p.size / 512, desc: key(p) }));

describe.skipIf(!ready)('volume systems against sfdisk and mmls', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'images-vol-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const mbrScript = [
    'label: dos',
    'start=2048, size=8192, type=83, bootable',
    'start=10240, size=8192, type=7',
    'start=18432, size=40960, type=5',
    'start=20480, size=8192, type=83',
    'start=30720, size=16384, type=82',
    '',
  ].join('\n');

  it('lists 2 primaries and 2 logicals of an MBR disk exactly as mmls does', async () => {
    const file = disk('mbr.img', 32, mbrScript);
    const layout = await layoutOf(file);
    expect(layout.scheme).toBe('mbr');
    expect(layout.warnings).toEqual([]);
    // mmls also lists the extended container and its tables; those rows are "DOS Extended" / "Meta".
    const expected = mmls(file).filter((r) => !r.desc.startsWith('DOS Extended'));
    expect(asSectors(layout.partitions, (p) => p.type)).toEqual(expected);
    expect(layout.partitions.map((p) => p.index)).toEqual([1, 2, 5, 6]);
    expect(layout.partitions[0]!.flags).toContain('bootable');
    expect(layout.partitions[2]!.flags).toContain('logical');
  });

  it('lists a GPT disk as mmls does, and falls back to the backup header when the primary is damaged', async () => {
    const file = disk('gpt.img', 32, [
      'label: gpt',
      'start=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI system"',
      'start=10240, size=40960, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="root fs"',
      '',
    ].join('\n'));
    const layout = await layoutOf(file);
    expect(layout.scheme).toBe('gpt');
    expect(layout.warnings).toEqual([]);
    expect(asSectors(layout.partitions, (p) => p.label ?? '')).toEqual(mmls(file));
    expect(layout.partitions.map((p) => p.type)).toEqual(['EFI System', 'Linux filesystem']);

    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from('XX'), 0, 2, 512 + 40); // inside the primary header: its CRC32 no longer matches
    closeSync(fd);
    const fallback = await layoutOf(file);
    expect(fallback.scheme).toBe('gpt');
    expect(fallback.warnings.join('\n')).toMatch(/primary header at sector 1 fails its CRC32; using the backup header/);
    expect(fallback.partitions).toEqual(layout.partitions);
  });

  it.skipIf(!hasMkfs)('reads an ext4 file system (mkfs.ext4 -d) through a partition view', async () => {
    const tree = path.join(dir, 'tree');
    mkdirSync(tree);
    writeFileSync(path.join(tree, 'hello.txt'), 'hello from caseward\n');
    const fsImg = path.join(dir, 'fs.ext4');
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, fsImg, '4M'], { stdio: 'ignore' });
    const file = disk('withfs.img', 32, mbrScript);
    const fd = openSync(file, 'r+');
    writeSync(fd, readFileSync(fsImg), 0, undefined, 2048 * 512);
    closeSync(fd);
    const { reader } = await openImage(file);
    try {
      const { partitions } = await listVolumes(reader);
      const part = openPartition(reader, partitions[0]!);
      const sb = await part.read(1024, 1024);
      expect(sb.readUInt16LE(56)).toBe(0xef53); // ext4 superblock magic
      expect((await part.read(0, 4 * 1024 * 1024)).equals(readFileSync(fsImg))).toBe(true);
      expect((await part.read(part.size - 10, 100)).length).toBe(10);
    } finally {
      await reader.close();
    }
  });

  it('warns about a partition past the end of a truncated image and keeps the rest', async () => {
    const file = disk('cut.img', 32, mbrScript);
    truncateSync(file, 12 * 1024 * 1024); // cuts logical 5 in half; partitions 1 and 2 stay whole
    const layout = await layoutOf(file);
    expect(layout.scheme).toBe('mbr');
    expect(layout.partitions.slice(0, 2).map((p) => p.size)).toEqual([8192 * 512, 8192 * 512]);
    expect(layout.partitions.find((p) => p.index === 5)?.flags).toContain('clipped');
    expect(layout.warnings.join('\n')).toMatch(/past the end of the image/);
    expect(layout.partitions.every((p) => p.start + p.size <= 12 * 1024 * 1024)).toBe(true);
  });
});
