// `caseward image-ls` and `caseward image-export` through the bundled CLI (dist/main/cli.cjs), on a real GPT/ext4 disk.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, tempDir } from '../support/app-harness.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { ext4InGptDisk } from '../support/fs-ext4-support.js';

const missing = ['mkfs.ext4', 'sfdisk', 'icat'].filter((t) => spawnSync(t, ['-V']).error);
if (missing.length) console.warn(`image-review-cli: ${missing.join(', ')} not installed; CLI image tests skipped`);

const sha256File = (f: string) => execFileSync('sha256sum', [f]).toString().split(' ')[0]!;

describe.skipIf(missing.length > 0)('image commands of the CLI', () => {
  let root = '';
  let ws: CliWorkstation;
  let disk = '';
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('image-review-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    const src = path.join(root, 'src');
    fs.mkdirSync(path.join(src, 'etc/app'), { recursive: true });
    fs.writeFileSync(path.join(src, 'etc/app/config.ini'), '[main]\nkey = value\n'.repeat(500));
    fs.writeFileSync(path.join(src, 'etc/hostname'), 'web-1\n');
    fs.symlinkSync('app/config.ini', path.join(src, 'etc/cfg'));
    disk = ext4InGptDisk(root, src, { fsMiB: 8, diskMiB: 12 });
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
  });
  afterAll(() => {
    if (root) removeTree(root);
  });

  it('lists a folder inside an image and exports a file as a new artifact', async () => {
    const before = sha256File(disk);
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-IMG', '--title', 'CLI image review'])) as { path: string }).path;
    const image = JSON.parse(await runCli(ws, ['add', folder, disk, '--in-place', '--json'])) as { id: string };

    const listing = JSON.parse(await runCli(ws, ['image-ls', folder, image.id, '--partition', '1', '--path', '/etc', '--json'])) as {
      name: string; type: string; size: number; symlinkTarget: string | null;
    }[];
    expect(listing.map((e) => [e.name, e.type, e.type === 'symlink' ? e.symlinkTarget : e.size]).sort()).toEqual([
      ['app', 'dir', expect.any(Number)], ['cfg', 'symlink', 'app/config.ini'], ['hostname', 'file', 6],
    ]);
    // Without --partition the only readable file system is chosen; the human listing names each entry.
    expect(await runCli(ws, ['image-ls', folder, image.id, '--path', '/etc/app'])).toContain('config.ini');

    const out = JSON.parse(await runCli(ws, ['image-export', folder, image.id, '--partition', '1', '--path', '/etc/app/config.ini', '--json'])) as {
      artifacts: { id: string; name: string; sourcePath: string; storedPath: string; hashes: { sha256: string } }[];
    };
    expect(out.artifacts).toHaveLength(1);
    const a = out.artifacts[0]!;
    const appDir = JSON.parse(await runCli(ws, ['image-ls', folder, image.id, '--path', '/etc/app', '--json'])) as { name: string; inode: number }[];
    const inode = appDir.find((e) => e.name === 'config.ini')!.inode;
    const icat = execSync(`icat -o 2048 ${JSON.stringify(disk)} ${inode} | sha256sum`).toString().split(' ')[0];
    expect(a).toMatchObject({ name: 'config.ini', sourcePath: `image:${image.id}/1/etc/app/config.ini` });
    expect(a.hashes.sha256).toBe(icat);
    expect(sha256File(path.join(folder, a.storedPath))).toBe(icat);

    const custody = await runCli(ws, ['custody', folder]);
    expect(custody).toContain('image.opened');
    expect(custody).toContain(`"derivedFrom":"${image.id}"`);
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
    expect(sha256File(disk)).toBe(before);
  });
});
