/**
 * Snapshot hand-over in the AWS tab, in Debian's Chromium against the AWS fake (in this process) and the real host
 * (child process with a temporary AWS profile): sharing a snapshot under the AWS managed key aws/ebs is refused with
 * the explanation, the copy re-encrypted under a customer managed key is made from that answer, waited for, shared
 * with the forensic account and locked (governance, 1 day); the copy is a cloud-ref artifact and custody holds every
 * request id shown. Nothing mutating reaches the fake before its confirmation. Screenshots: test-output/screenshots/aws-share-*.png.
 */
import { expect, test, type Locator } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultEbsKeyArn, FIXTURE, FORENSIC_ACCOUNT_ID, startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { awsHostEnv, connectAws, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const region = 'us-east-1';
const victimCmk = `arn:aws:kms:${region}:${VICTIM_ACCOUNT_ID}:key/${FIXTURE.cmkKeyId}`;

let tmp: string;
let host: HostProcess | undefined;
let fake: AwsFake | undefined;
let defaultKeySnap: string;

test.beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-aws-share-'));
  fake = await startAwsFake({ snapshotCompletionMs: 1500 });
  // A completed snapshot of the data volume under the account's aws/ebs key: AWS will not share it.
  const snap = fake.state.createSnapshot({
    ownerId: VICTIM_ACCOUNT_ID,
    region,
    volumeId: FIXTURE.webDataVolumeId,
    volumeSizeGiB: 16,
    description: 'web-1 data before clean-up',
    encrypted: true,
    kmsKeyId: defaultEbsKeyArn(fake.state, VICTIM_ACCOUNT_ID, region),
    tags: [{ key: 'Name', value: 'web-1-data-default-key' }],
  });
  fake.state.completeSnapshot(snap.snapshotId);
  defaultKeySnap = snap.snapshotId;
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'), awsHostEnv(tmp, region));
});

test.afterAll(() => tearDown({ host, tmp, fake }));

const shot = screenshotter('aws-share-');

/** The request id a result dialog shows; it must be a real (not DryRun) call of `action` the fake answered. */
async function shownRequestId(dialog: Locator, f: AwsFake, action: string): Promise<string> {
  const id = ((await dialog.getByTestId('aws-request-id').textContent()) ?? '').trim();
  expect(f.calls.some((c) => c.action === action && !c.dryRun && c.requestId === id), `${action} request id ${id}`).toBe(true);
  return id;
}

test('share refused for aws/ebs, copy re-encrypted, share the copy, lock it; artifact and custody', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchProblems(page);
  const f = fake!;
  const realCalls = (action: string) => f.calls.filter((c) => c.action === action && !c.dryRun);

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-090', title: 'Hand over web-1 snapshots' });

  await connectAws(page, f.endpoint, VICTIM_ACCOUNT_ID);
  await page.getByRole('button', { name: 'Discover', exact: true }).click();
  await page.getByRole('button', { name: /^Snapshots \(\d+\)$/ }).click();
  const snapshots = page.getByRole('table', { name: 'Snapshots' });
  // Only completed snapshots offer the hand-over actions.
  await expect(snapshots.getByRole('button', { name: `Share ${FIXTURE.pendingSnapshotId}` })).toHaveCount(0);
  await expect(snapshots.getByRole('button', { name: `Lock ${FIXTURE.completedSnapshotId}` })).toBeVisible();
  await shot(page, '00-snapshots');

  // Share the aws/ebs snapshot: explained, confirmed, refused by AWS with the reason and the way out.
  await snapshots.getByRole('button', { name: `Share ${defaultKeySnap}` }).click();
  const share = page.getByRole('dialog', { name: `Share ${defaultKeySnap}` });
  await expect(share).toContainText('AWS does not share snapshots encrypted with the AWS managed key aws/ebs');
  await share.getByLabel('Forensic account id (12 digits)').fill(VICTIM_ACCOUNT_ID);
  await expect(share.getByRole('button', { name: 'Review…' })).toBeDisabled();
  await share.getByLabel('Forensic account id (12 digits)').fill(FORENSIC_ACCOUNT_ID);
  await share.getByRole('button', { name: 'Review…' }).click();
  const shareConfirm = page.getByRole('dialog', { name: 'Confirm the share' });
  await expect(shareConfirm).toContainText(`Add account ${FORENSIC_ACCOUNT_ID} to the create-volume permissions of ${defaultKeySnap} in account ${VICTIM_ACCOUNT_ID}`);
  expect(realCalls('ModifySnapshotAttribute')).toEqual([]);
  await shareConfirm.getByRole('button', { name: `Share with ${FORENSIC_ACCOUNT_ID}` }).click();
  const refused = page.getByRole('dialog', { name: 'AWS refused to share' });
  await expect(refused.getByTestId('aws-share-message')).toContainText('Snapshots encrypted with the AWS managed key aws/ebs cannot be shared');
  await expect(refused).toContainText('OperationNotPermitted');
  const refusedId = await shownRequestId(refused, f, 'ModifySnapshotAttribute');
  expect([...f.state.snapshots.get(defaultKeySnap)!.createVolumePermission]).toEqual([]);
  await shot(page, '01-share-refused');

  // The refusal's button opens the copy dialog; a copy under aws/ebs is refused before anything is sent.
  await refused.getByRole('button', { name: 'Copy re-encrypted…' }).click();
  const copy = page.getByRole('dialog', { name: `Copy ${defaultKeySnap} re-encrypted` });
  const keyField = copy.getByLabel('KMS key (key id, key ARN, alias/… or alias ARN)');
  await keyField.fill('alias/aws/ebs');
  await expect(copy).toContainText('a copy under it cannot be shared either');
  await expect(copy.getByRole('button', { name: 'Review…' })).toBeDisabled();
  await keyField.fill(victimCmk);
  await copy.getByRole('button', { name: 'Review…' }).click();
  const copyConfirm = page.getByRole('dialog', { name: 'Confirm the copy' });
  await expect(copyConfirm).toContainText(`Encrypt the copy with KMS key ${victimCmk}.`);
  await expect(copyConfirm).toContainText(`CasewardCase=CW-2026-090, CasewardEvidence=true and CasewardSourceSnapshot=${defaultKeySnap}`);
  await shot(page, '02-copy-confirm');
  expect(realCalls('CopySnapshot')).toEqual([]);
  await copyConfirm.getByRole('button', { name: 'Create the copy' }).click();
  const requested = page.getByRole('dialog', { name: 'Copy requested' });
  const copyId = ((await requested.getByTestId('aws-copy-id').textContent()) ?? '').trim();
  expect(copyId).toMatch(/^snap-[0-9a-f]+$/);
  const copyRequestId = await shownRequestId(requested, f, 'CopySnapshot');
  expect(f.state.snapshots.get(copyId)).toMatchObject({ encrypted: true, kmsKeyId: victimCmk });
  await requested.getByRole('button', { name: 'Close', exact: true }).click();

  // Wait for the copy's job; its snapshot then offers Share and Lock in the acquisitions list.
  const acquisitions = page.getByRole('region', { name: 'Acquisitions in this case' });
  await expect(acquisitions.getByRole('listitem', { name: new RegExp(`Wait for the copy ${copyId}`) })).toContainText('succeeded', { timeout: 60_000 });
  await shot(page, '03-copy-complete');
  await acquisitions.getByRole('button', { name: `Share ${copyId}` }).click();
  await page.getByRole('dialog', { name: `Share ${copyId}` }).getByLabel('Forensic account id (12 digits)').fill(FORENSIC_ACCOUNT_ID);
  await page.getByRole('dialog', { name: `Share ${copyId}` }).getByRole('button', { name: 'Review…' }).click();
  await page.getByRole('dialog', { name: 'Confirm the share' }).getByRole('button', { name: `Share with ${FORENSIC_ACCOUNT_ID}` }).click();
  const shared = page.getByRole('dialog', { name: 'Snapshot shared' });
  await expect(shared.getByTestId('aws-share-message')).toContainText("key's policy");
  await expect(shared).toContainText(`none → ${FORENSIC_ACCOUNT_ID}`);
  const sharedId = await shownRequestId(shared, f, 'ModifySnapshotAttribute');
  expect([...f.state.snapshots.get(copyId)!.createVolumePermission]).toEqual([FORENSIC_ACCOUNT_ID]);
  await shot(page, '04-shared');
  await shared.getByRole('button', { name: 'Close', exact: true }).click();

  // Lock: compliance would need the id typed; the examiner goes back and locks in governance mode for 1 day.
  await acquisitions.getByRole('button', { name: `Lock ${copyId}` }).click();
  const lock = page.getByRole('dialog', { name: `Lock ${copyId}` });
  await lock.getByRole('radio', { name: /^Compliance/ }).check();
  await lock.getByRole('button', { name: 'Review…' }).click();
  const lockConfirm = page.getByRole('dialog', { name: 'Confirm the lock' });
  await expect(lockConfirm).toContainText('nobody can remove or shorten the lock');
  await expect(lockConfirm.getByRole('button', { name: 'Lock in compliance mode' })).toBeDisabled();
  await lockConfirm.getByLabel(`Type ${copyId} to confirm a lock nobody can undo`).fill(copyId);
  await expect(lockConfirm.getByRole('button', { name: 'Lock in compliance mode' })).toBeEnabled();
  await shot(page, '05-lock-compliance-confirm');
  await lockConfirm.getByRole('button', { name: 'Cancel' }).click();
  await lock.getByRole('radio', { name: /^Governance/ }).check();
  await lock.getByLabel('Days (1–36500)').fill('1');
  await lock.getByRole('button', { name: 'Review…' }).click();
  await expect(lockConfirm).toContainText(`Lock ${copyId} in account ${VICTIM_ACCOUNT_ID}, region ${region}, in governance mode for 1 day`);
  expect(realCalls('LockSnapshot')).toEqual([]);
  await lockConfirm.getByRole('button', { name: 'Lock in governance mode' }).click();
  const locked = page.getByRole('dialog', { name: 'Snapshot locked' });
  await expect(locked.getByTestId('aws-lock-message')).toContainText('locked in governance mode');
  const lockId = await shownRequestId(locked, f, 'LockSnapshot');
  expect(f.state.snapshots.get(copyId)!.lock).toMatchObject({ mode: 'governance', lockDurationDays: 1 });
  await shot(page, '06-locked');
  await locked.getByRole('button', { name: 'Close', exact: true }).click();

  // The copy is an AWS snapshot reference in the Artifacts tab.
  await page.getByRole('tab', { name: 'Artifacts' }).click();
  const row = page.getByRole('row').filter({ hasText: `EBS snapshot ${copyId}` });
  await expect(row).toContainText('AWS snapshot (reference)');
  await expect(row).toContainText(region);
  await shot(page, '07-artifacts');

  // Custody: every request id shown above is in the event details.
  await page.getByRole('tab', { name: 'Custody log' }).click();
  for (const action of ['aws.snapshot-share-refused', 'aws.snapshot-copy-started', 'aws.snapshot-shared', 'aws.snapshot-locked']) {
    await page.getByRole('row').filter({ hasText: action }).first().getByRole('button', { name: /Details of event/ }).click();
  }
  for (const id of [refusedId, copyRequestId, sharedId, lockId]) await expect(page.locator('pre.json', { hasText: id }).first()).toBeVisible();
  await shot(page, '08-custody');
  expect(problems).toEqual([]);
});
