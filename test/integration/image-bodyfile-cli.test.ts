// `caseward image-bodyfile` and `timeline-add-bodyfile` through the bundled CLI, on a GPT disk with an ext4 partition.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTree, tempDir } from '../support/app-harness.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { ext4InGptDisk, haveTools } from '../support/fs-ext4-support.js';

const missing = !haveTools('mkfs.ext4', 'sfdisk', 'fls');
if (missing) console.warn('image-bodyfile-cli: skipped, needs e2fsprogs (mkfs.ext4), fdisk (sfdisk) and sleuthkit (fls)');

describe.skipIf(missing)('body file commands of the CLI', () => {
  let root = '';
  let ws: CliWorkstation;
  let disk = '';
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('image-bodyfile-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    const src = path.join(root, 'src');
    fs.mkdirSync(path.join(src, 'var/log'), { recursive: true });
    fs.writeFileSync(path.join(src, 'var/log/auth.log'), 'Accepted publickey for ec2-user\n'.repeat(40));
    fs.writeFileSync(path.join(src, 'README'), 'disk\n');
    disk = ext4InGptDisk(root, src, { fsMiB: 8, diskMiB: 12 });
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
  });
  afterAll(() => {
    if (root) removeTree(root);
  });

  it('writes the partition\'s body file as fls -o does, into the timeline, and merges it again without duplicates', async () => {
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-BF', '--title', 'CLI body file'])) as { path: string }).path;
    const image = JSON.parse(await runCli(ws, ['add', folder, disk, '--in-place', '--json'])) as { id: string };

    const out = JSON.parse(await runCli(ws, ['image-bodyfile', folder, image.id, '--json'])) as {
      job: { entries: number; timeline: { inserted: number; status: string } };
      artifact: { id: string; storedPath: string; name: string; hashes: { sha256: string } };
    };
    expect(out.artifact.name).toBe('disk.img-p1.body');
    const body = fs.readFileSync(path.join(folder, out.artifact.storedPath), 'utf8').trimEnd().split('\n');
    const fls = execFileSync('fls', ['-r', '-m', '/', '-o', '2048', disk]).toString('utf8').trimEnd().split('\n').filter((l) => !l.includes('|/$OrphanFiles'));
    expect([...body].sort()).toEqual([...fls].sort());
    expect(out.job.entries).toBe(body.length);
    expect(out.job.timeline).toMatchObject({ status: 'complete' });
    expect(out.job.timeline.inserted).toBeGreaterThanOrEqual(body.length);

    const again = JSON.parse(await runCli(ws, ['timeline-add-bodyfile', folder, out.artifact.id, '--json'])) as { inserted: number; duplicates: number };
    expect(again).toMatchObject({ inserted: 0, duplicates: out.job.timeline.inserted });

    const bodyOnly = JSON.parse(await runCli(ws, ['image-bodyfile', folder, image.id, '--partition', '1', '--no-timeline', '--json'])) as { job: { timeline: null } };
    expect(bodyOnly.job.timeline).toBeNull();
  });
});
