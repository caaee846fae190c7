/**
 * The imaging engine, through the real EBS SDK client, against the protocol-level fake serving a
 * real ext4 image: the pieces of issue 3 fit together before a job and UI are built on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { EBSClient } from '@aws-sdk/client-ebs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot, ebsBlockSource, ebsClientSettings } from '../../main/core/aws/ebs-image/index.js';
import { startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { TEST_CREDENTIALS } from '../aws-fake/credentials.js';
import { removeTree, tempDir } from '../support/app-harness.js';

const GiB = 1024 ** 3;
const hasMkfs = spawnSync('mkfs.ext4', ['-V']).status === 0;
if (!hasMkfs) console.warn('skipped: mkfs.ext4 is not installed (apt-get install e2fsprogs)');

function digest(tool: string, file: string): string {
  return execFileSync(tool, [file]).toString().split(' ')[0]!;
}

describe.skipIf(!hasMkfs)('snapshot imaging through the SDK against the AWS fake', () => {
  let dir: string;
  let image: string;
  let fake: AwsFake;
  let client: EBSClient;
  beforeAll(async () => {
    dir = tempDir('caseward-snapimg-');
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'var/log'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'var/log/auth.log'), 'Nov 27 09:14:03 ip-10-0-0-5 sshd[812]: Accepted publickey for ec2-user\n'.repeat(5000));
    fs.writeFileSync(path.join(tree, 'random.bin'), Buffer.from(Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24)));
    image = path.join(dir, 'volume.img');
    fs.closeSync(fs.openSync(image, 'w'));
    fs.truncateSync(image, GiB);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, image]);
    fake = await startAwsFake();
    client = new EBSClient({
      region: fake.region,
      endpoint: fake.endpoint,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
      ...ebsClientSettings(16),
    });
  });
  afterAll(async () => {
    client?.destroy();
    await fake?.close();
    removeTree(dir);
  });

  it('downloads a 1 GiB ext4 volume with faults and matches sha256sum/md5sum/sha1sum of the source', async () => {
    const snap = fake.addSnapshotFromImage(image, { volumeSizeGiB: 1 });
    fake.faults.badChecksum(0, { times: 1 }); // block 0 holds the superblock, so it is always listed
    fake.faults.throttle({ service: 'ebs', action: 'GetSnapshotBlock', times: 3 });
    fake.faults.expireToken({ times: 1 });
    const dest = path.join(dir, 'out.raw');
    const result = await downloadSnapshot({
      source: ebsBlockSource(client),
      snapshotId: snap.snapshotId,
      dest,
      manifestPath: `${dest}.manifest.sqlite`,
      concurrency: 16,
      backoffBaseMs: 5,
      backoffCapMs: 50,
    });
    expect(result.size).toBe(GiB);
    expect(result.sha256).toBe(digest('sha256sum', image));
    expect(result.md5).toBe(digest('md5sum', image));
    expect(result.sha1).toBe(digest('sha1sum', image));
    expect(digest('sha256sum', dest)).toBe(result.sha256);
    // A mostly empty file system: most blocks are unlisted and stay holes.
    expect(result.blocksAbsent).toBeGreaterThan(result.blocksListed);
    expect(result.blocksListed + result.blocksAbsent).toBe(GiB / (512 * 1024));
    expect(result.checksumFailures).toBeGreaterThanOrEqual(1);
    expect(result.throttles).toBeGreaterThanOrEqual(1);
  });
});
