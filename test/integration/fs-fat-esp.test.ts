// An EFI system partition (FAT32) inside a GPT disk made with sfdisk: found through the volume listing at its
// offset, listed like `fls -o`, and reviewed through the existing image CLI (image-info, image-ls, image-export).
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../../main/core/images/containers/open-image.js';
import { walk } from '../../main/core/images/fs-xfs/walk.js';
import { detectFileSystem } from '../../main/core/images/session/detect-fs.js';
import { listVolumes, openPartition } from '../../main/core/images/volumes/list-volumes.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { fatToolsMissing, fls, icat, mkfsFat, mtools, pattern, putFile } from './fs-fat-build.js';

const missing = fatToolsMissing() ?? (spawnSync('sfdisk', ['-v']).error ? 'missing sfdisk (package fdisk)' : null);
if (missing) console.warn(`fs-fat ESP tests skipped: ${missing}`);

const START = 2048; // sectors
const ESP_SECTORS = 80_000; // 40 000 KiB: enough clusters at 512 bytes for FAT32

describe.skipIf(missing !== null)('EFI system partition in a GPT disk', () => {
  let root = '';
  let disk = '';
  const grub = pattern(150_000, 42);
  const cfg = Buffer.from('search --fs-uuid --set=root 1234\nconfigfile ($root)/boot/grub2/grub.cfg\n');

  beforeAll(() => {
    root = tempDir('fat-esp-');
    const esp = path.join(root, 'esp.img');
    mkfsFat(esp, 32, ESP_SECTORS / 2, 'ESP', ['-s', '1']);
    mtools('mmd', esp, ['::/EFI', '::/EFI/BOOT', '::/EFI/amzn']);
    putFile(esp, root, '/EFI/BOOT/BOOTX64.EFI', grub);
    putFile(esp, root, '/EFI/amzn/grub.cfg', cfg);
    disk = path.join(root, 'disk.img');
    execFileSync('truncate', ['-s', `${(START + ESP_SECTORS + 4096) * 512}`, disk]);
    execSync(`sfdisk -q ${JSON.stringify(disk)}`, { input: `label: gpt\nstart=${START}, size=${ESP_SECTORS}, type=U, name="EFI System Partition"\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    execFileSync('dd', [`if=${esp}`, `of=${disk}`, 'bs=512', `seek=${START}`, 'conv=notrunc'], { stdio: 'pipe' });
    fs.rmSync(esp);
  });
  afterAll(() => {
    if (root) removeTree(root);
  });

  it('is found at its offset through the volume listing and lists like fls -o', async () => {
    const opened = await openImage(disk);
    try {
      const layout = await listVolumes(opened.reader);
      const p = layout.partitions.find((x) => x.start === START * 512)!;
      expect(p).toBeDefined();
      const d = await detectFileSystem(openPartition(opened.reader, p));
      expect(d.kind).toBe('fat');
      expect(d.fs!.kind).toBe('fat32');
      expect(d.fs!.label).toBe('ESP');
      const ours: string[] = [];
      for await (const { path: q, entry } of walk(d.fs!)) ours.push(`${entry.inode} ${q.slice(1)}`);
      expect(ours.sort()).toEqual(fls(disk, START).map((l) => `${l.inode} ${l.path}`).sort());
      await d.fs!.close();
    } finally {
      await opened.reader.close();
    }
  });

  it('is reviewed through the image CLI: info, listing, export equal to icat', async () => {
    ensureCliBundle();
    const ws: CliWorkstation = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    await runCli(ws, ['profile', '--name', 'Fat Examiner', '--org', 'Test IR Ltd']);
    const before = execFileSync('sha256sum', [disk]).toString().split(' ')[0];
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'FAT-ESP', '--title', 'ESP review'])) as { path: string }).path;
    const image = JSON.parse(await runCli(ws, ['add', folder, disk, '--in-place', '--json'])) as { id: string };

    const info = JSON.parse(await runCli(ws, ['image-info', folder, image.id, '--json'])) as { fileSystems: { partition: number; kind: string; detail: string; label: string }[] };
    expect(info.fileSystems).toEqual([expect.objectContaining({ partition: 1, kind: 'fat', detail: 'fat32', label: 'ESP' })]);

    const listing = JSON.parse(await runCli(ws, ['image-ls', folder, image.id, '--path', '/EFI/BOOT', '--json'])) as { name: string; inode: number; size: number; mtime: string }[];
    expect(listing.map((e) => [e.name, e.size])).toEqual([['BOOTX64.EFI', grub.length]]);

    const out = JSON.parse(await runCli(ws, ['image-export', folder, image.id, '--path', '/EFI/BOOT/BOOTX64.EFI', '--json'])) as {
      artifacts: { sourcePath: string; hashes: { sha256: string } }[];
    };
    const expected = execSync(`icat -o ${START} ${JSON.stringify(disk)} ${listing[0]!.inode} | sha256sum`).toString().split(' ')[0];
    expect(out.artifacts[0]).toMatchObject({ sourcePath: `image:${image.id}/1/EFI/BOOT/BOOTX64.EFI`, hashes: { sha256: expected } });
    expect(icat(disk, listing[0]!.inode, START).equals(grub)).toBe(true);
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
    expect(execFileSync('sha256sum', [disk]).toString().split(' ')[0]).toBe(before);
  }, 120_000);
});
