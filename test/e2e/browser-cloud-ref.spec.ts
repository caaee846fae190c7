/**
 * Snapshots as cloud-ref artifacts in the Artifacts tab, in Debian's Chromium: a case made with the CLI
 * against the AWS fake (two EBS snapshots, one locked) is opened in the browser host; each snapshot row
 * shows its kind, snapshot id and region instead of a hash, verification is "not applicable" and not
 * offered, and the detail panel shows the reference and the lock. Screenshot: test-output/screenshots/cloud-ref-*.png.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURE, startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { screenshotter, tearDown, watchProblems, writeAwsProfile } from './e2e-steps.js';

let tmp = '';
let host: HostProcess | undefined;
let fake: AwsFake | undefined;
let refs: { snapshotId: string; volumeId: string; artifactId: string }[] = [];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  ensureBuilt();
  ensureCliBundle();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-cloudref-'));
  // The CLI children inherit this worker's environment: only the temporary profile, never real keys.
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, writeAwsProfile(tmp));

  fake = await startAwsFake({ snapshotCompletionMs: 200 });
  const ws: CliWorkstation = { userData: path.join(tmp, 'user-data'), casesDir: path.join(tmp, 'cases') };
  const conn = ['--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint];
  await runCli(ws, ['profile', '--name', 'Dana Whitfield', '--org', 'Northbridge Forensics']);
  const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CW-REF-1', '--title', 'Snapshots as references'])) as { path: string }).path;
  refs = JSON.parse(await runCli(ws, ['aws-snapshot', folder, ...conn, '--instance', FIXTURE.webInstanceId, '--confirm', '--json'])) as typeof refs;
  const root = refs.find((r) => r.volumeId === FIXTURE.webRootVolumeId)!;
  await runCli(ws, ['aws-snapshot-lock', folder, ...conn, '--snapshot', root.snapshotId, '--mode', 'governance', '--days', '7', '--confirm']);
  host = await startHostProcess(ws.userData, ws.casesDir);
});

test.afterAll(() => tearDown({ host, tmp, fake }));

test('snapshot references in the Artifacts tab: kind, snapshot id and region, no hashes, no verification', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto(host!.url);
  await page.getByRole('row').filter({ hasText: 'CW-REF-1' }).getByRole('button', { name: /Open case CW-REF-1/ }).click();
  await expect(page.getByRole('heading', { name: /CW-REF-1/ })).toBeVisible();

  const root = refs.find((r) => r.volumeId === FIXTURE.webRootVolumeId)!;
  const data = refs.find((r) => r.volumeId === FIXTURE.webDataVolumeId)!;
  const rootRow = page.getByRole('row').filter({ hasText: `EBS snapshot ${root.snapshotId}` });
  const dataRow = page.getByRole('row').filter({ hasText: `EBS snapshot ${data.snapshotId}` });
  await expect(page.getByRole('columnheader', { name: 'SHA-256 / resource' })).toBeVisible();
  for (const [row, gib] of [[rootRow, 8], [dataRow, 16]] as const) {
    await expect(row).toContainText('AWS snapshot (reference)');
    await expect(row).toContainText(`${gib} GiB vol.`);
    await expect(row).toContainText('us-east-1');
    await expect(row).toContainText('not applicable');
    await expect(row).not.toContainText('not verified');
  }
  // Nothing in the case can be re-hashed: both artifacts are references.
  await expect(page.getByRole('button', { name: 'Verify all' })).toBeDisabled();

  await rootRow.click();
  const detail = page.getByRole('complementary');
  await expect(detail.getByRole('heading', { name: 'Cloud reference' })).toBeVisible();
  await expect(detail).toContainText(`${VICTIM_ACCOUNT_ID} · us-east-1`);
  await expect(detail).toContainText(FIXTURE.webRootVolumeId);
  await expect(detail).toContainText(`KMS key arn:aws:kms:us-east-1:${VICTIM_ACCOUNT_ID}:key/${FIXTURE.cmkKeyId}`);
  // The state is named only when it adds to the mode (compliance-cooloff does; governance does not).
  await expect(detail).toContainText(/governance until/);
  await expect(detail).not.toContainText("governance (governance)");
  await expect(detail.getByRole('button', { name: 'Verify this artifact' })).toHaveCount(0);
  await expect(detail.getByRole('button', { name: 'Open image' })).toHaveCount(0);
  await expect(detail.locator('.hash-line')).toHaveCount(0);
  await expect(detail.getByRole('cell', { name: 'aws.snapshot-locked' })).toBeVisible();
  await screenshotter('cloud-ref-')(page, 'artifacts');
  expect(problems).toEqual([]);
});
