// `caseward aws-image` through the bundled CLI (dist/main/cli.cjs) against the AWS fake serving an ext4 image.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';

const hasMkfs = spawnSync('mkfs.ext4', ['-V']).status === 0;
if (!hasMkfs) console.warn('aws-image-cli: mkfs.ext4 is not installed (apt-get install e2fsprogs); skipped');

const digest = (tool: string, f: string) => execFileSync(tool, [f]).toString().split(' ')[0]!;

describe.skipIf(!hasMkfs)('caseward aws-image', () => {
  let root = '';
  let ws: CliWorkstation;
  let fake: AwsFake;
  let image = '';
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('aws-image-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    const tree = path.join(root, 'tree');
    fs.mkdirSync(path.join(tree, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'etc/hostname'), 'web-1\n');
    image = path.join(root, 'volume.img');
    fs.closeSync(fs.openSync(image, 'w'));
    fs.truncateSync(image, 1024 ** 3);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, image]);
    // The CLI child inherits the environment this sets.
    writeAwsProfiles(root);
    fake = await startAwsFake();
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
  });
  afterAll(async () => {
    await fake?.close();
    if (root) removeTree(root);
  });

  it('images a snapshot into the case and prints the artifact with its hashes', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1 });
    const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-AWS', '--title', 'CLI imaging'])) as { path: string }).path;
    const out = await runCli(ws, ['aws-image', folder, '--profile', 'victim', '--region', 'us-east-1', '--snapshot', snap.snapshotId, '--endpoint', fake.endpoint, '--json']);
    const a = JSON.parse(out) as { state: string; sourcePath: string; storedPath: string; hashes: { sha256: string; md5: string } };
    expect(a.state).toBe('complete');
    expect(a.sourcePath).toBe(`aws:ebs:us-east-1:${VICTIM_ACCOUNT_ID}:${snap.snapshotId}`);
    expect(a.hashes.sha256).toBe(digest('sha256sum', image));
    expect(a.hashes.md5).toBe(digest('md5sum', image));
    expect(digest('sha256sum', path.join(folder, a.storedPath))).toBe(a.hashes.sha256);
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
  });
});
