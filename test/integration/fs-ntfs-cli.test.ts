import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, tempDir } from '../support/app-harness.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { haveTools } from '../support/fs-ext4-support.js';
import { buildNtfs, UNICODE_NAME } from '../support/fs-ntfs-support.js';
import { buildNtfsWithStreams, ZONE_IDENTIFIER } from '../support/fs-ntfs-ads.js';

const noTools = !haveTools('mkntfs', 'ntfscp', 'ntfstruncate', 'sfdisk', 'icat', 'fls', 'fsstat');
if (noTools) console.warn('fs-ntfs-cli: skipped, needs ntfs-3g (mkntfs, ntfscp, ntfstruncate), sfdisk and sleuthkit');

const sha256File = (f: string): string => execFileSync('sha256sum', [f]).toString().split(' ')[0]!;

describe.skipIf(noTools)('an NTFS partition through the existing image commands of the CLI', () => {
  let root = '';
  let ws: CliWorkstation;
  let disk = '';
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('ntfs-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    const { img } = buildNtfs(root);
    disk = path.join(root, 'disk.img');
    execFileSync('truncate', ['-s', '10M', disk]);
    execSync(`sfdisk -q ${JSON.stringify(disk)}`, { input: 'label: dos\nstart=2048, size=16384, type=7\n', stdio: ['pipe', 'pipe', 'pipe'] });
    execFileSync('dd', [`if=${img}`, `of=${disk}`, 'bs=512', 'seek=2048', 'conv=notrunc'], { stdio: 'pipe' });
    fs.rmSync(img);
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
  }, 120_000);
  afterAll(() => {
    if (root) removeTree(root);
  });

  it('opens, lists and exports from NTFS like from ext4, and leaves the image unchanged', async () => {
    const before = sha256File(disk);
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-NTFS', '--title', 'NTFS review'])) as { path: string }).path;
    const image = JSON.parse(await runCli(ws, ['add', folder, disk, '--in-place', '--json'])) as { id: string };
    expect(await runCli(ws, ['image-info', folder, image.id])).toMatch(/ntfs/);

    const listing = JSON.parse(await runCli(ws, ['image-ls', folder, image.id, '--partition', '1', '--json'])) as {
      name: string; type: string; size: number; inode: number; mtime: string;
    }[];
    const byName = new Map(listing.map((e) => [e.name, e]));
    expect(byName.get('large.bin')).toMatchObject({ type: 'file', size: 300_000 });
    expect(byName.get(UNICODE_NAME)).toMatchObject({ type: 'file', size: 13 });
    expect(byName.get('$Extend')).toMatchObject({ type: 'dir' });
    expect(byName.get('large.bin')!.mtime).toMatch(/^\d{4}-.*\.\d{9}Z$/);

    const out = JSON.parse(await runCli(ws, ['image-export', folder, image.id, '--partition', '1', '--path', '/large.bin', '--json'])) as {
      artifacts: { name: string; sourcePath: string; storedPath: string; hashes: { sha256: string } }[];
    };
    const icat = execSync(`icat -o 2048 ${JSON.stringify(disk)} ${byName.get('large.bin')!.inode} | sha256sum`).toString().split(' ')[0];
    expect(out.artifacts[0]).toMatchObject({ name: 'large.bin', sourcePath: `image:${image.id}/1/large.bin` });
    expect(out.artifacts[0]!.hashes.sha256).toBe(icat);
    expect(sha256File(path.join(folder, out.artifacts[0]!.storedPath))).toBe(icat);
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
    expect(sha256File(disk)).toBe(before);
  });

  it('exports one alternate data stream with --stream, and names a missing one', async () => {
    const { img } = buildNtfsWithStreams(root, 'ads-cli.img');
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-ADS', '--title', 'ADS'])) as { path: string }).path;
    const image = JSON.parse(await runCli(ws, ['add', folder, img, '--in-place', '--json'])) as { id: string };
    const out = JSON.parse(await runCli(ws, ['image-export', folder, image.id, '--path', '/tool.exe', '--stream', 'Zone.Identifier', '--json'])) as {
      artifacts: { name: string; storedPath: string; sourcePath: string }[];
    };
    expect(out.artifacts).toHaveLength(1);
    expect(out.artifacts[0]!.name).toBe('tool.exe_Zone.Identifier');
    expect(fs.readFileSync(path.join(folder, out.artifacts[0]!.storedPath)).equals(ZONE_IDENTIFIER)).toBe(true);
    await expect(runCli(ws, ['image-export', folder, image.id, '--path', '/tool.exe', '--stream', 'no-such-stream'])).rejects.toThrow(/no-such-stream/);
  });
});
