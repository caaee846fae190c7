/**
 * Acquiring logs through the AWS tab, in Debian's Chromium against the AWS fake (in this process) and
 * the real host (child process, temporary AWS profile): connect; acquire a signed CloudTrail trail from
 * S3 (times typed in the case's zone, Europe/Berlin); see what was acquired; validate its integrity;
 * ingest it and find its events in the Timeline; acquire the event history (paced LookupEvents); acquire
 * VPC flow logs from CloudWatch Logs and ingest them; flow logs from S3 with a corrupt object. Screenshots: test-output/screenshots/aws-logs-*.png.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { startAwsFake, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { FLOW_HEADER, flowLine, seedFlowLogGroup, seedSignedTrail } from '../support/logs-fake-seed.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { awsHostEnv, connectAws, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const BUCKET = 'org-trail-bucket';

let tmp: string;
let host: HostProcess | undefined;
let fake: AwsFake | undefined;
let trailEvents = 0;

/** A flow log object's key in the S3 layout VPC delivers to. */
const flowKey = (stamp: string, hash: string): string =>
  `AWSLogs/${VICTIM_ACCOUNT_ID}/vpcflowlogs/us-east-1/2024/06/02/${VICTIM_ACCOUNT_ID}_vpcflowlogs_us-east-1_fl-0123456789abcdef0_${stamp}_${hash}.log.gz`;

test.beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-aws-logs-'));
  fake = await startAwsFake();
  // 3 hours from 2024-03-01T10:00:31Z: 6 logs, 3 digests.
  const trail = await seedSignedTrail(fake, { dir: path.join(tmp, 'trail'), bucket: BUCKET, account: VICTIM_ACCOUNT_ID, hours: 3 });
  trailEvents = trail.logs.reduce((n, l) => n + (JSON.parse(gunzipSync(fs.readFileSync(l.path)).toString('utf8')) as { Records: unknown[] }).Records.length, 0);
  // Outside the range (another day): never listed, never fetched.
  fake.logs.putObject(BUCKET, `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-east-1/2024/02/01/${VICTIM_ACCOUNT_ID}_CloudTrail_us-east-1_20240201T1020Z_aaaaaaaaaaaaaaaa.json.gz`, Buffer.from('x'));
  const at = Date.parse('2024-05-01T00:00:00Z');
  fake.logs.addTrailEvents('us-east-1', VICTIM_ACCOUNT_ID, Array.from({ length: 120 }, (_, i) => ({
    eventVersion: '1.08', eventID: `lk-${i}`, eventTime: new Date(at + i * 30_000).toISOString().replace('.000', ''), eventSource: 'iam.amazonaws.com',
    eventName: i % 4 ? 'ListUsers' : 'CreateAccessKey', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:user/mallory`, userName: 'mallory', accessKeyId: 'AKIAMALLORY' },
    recipientAccountId: VICTIM_ACCOUNT_ID, eventType: 'AwsApiCall', readOnly: i % 4 !== 0,
  })));
  fake.logs.filterPageSize = 10;
  seedFlowLogGroup(fake, { group: '/aws/vpc/flows', account: VICTIM_ACCOUNT_ID, start: '2024-06-01T08:00:00Z', count: 25 });
  const t = Date.parse('2024-06-02T10:00:00Z') / 1000;
  fake.logs.putObject('flow-bucket', flowKey('20240602T1005Z', 'aa11bb22'), gzipSync(`${FLOW_HEADER}\n${[0, 1, 2].map((i) => flowLine(VICTIM_ACCOUNT_ID, i, t + i)).join('\n')}\n`));
  fake.logs.putObject('flow-bucket', flowKey('20240602T1025Z', 'ee55ff66'), gzipSync(`${FLOW_HEADER}\n${flowLine(VICTIM_ACCOUNT_ID, 9, t + 1500)}\n`).subarray(0, 30));
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'), awsHostEnv(tmp));
});

test.afterAll(() => tearDown({ host, tmp, fake }));

const shot = screenshotter('aws-logs-');

test('acquire CloudTrail from S3, validate and ingest it; event history; VPC flow logs from CloudWatch Logs', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = watchProblems(page);
  const f = fake!;

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-081', title: 'Trail and flow logs', timeZone: 'Europe/Berlin' });

  await connectAws(page, f.endpoint, VICTIM_ACCOUNT_ID);

  // CloudTrail from S3: times in Berlin (UTC+1 in March); the plan names the layout and the folders before anything is read.
  const panel = page.getByRole('region', { name: 'Acquire logs' });
  await panel.getByRole('button', { name: 'CloudTrail from S3' }).click();
  const s3Form = panel.getByRole('form', { name: 'CloudTrail from S3' });
  const submitS3 = s3Form.getByRole('button', { name: 'Acquire CloudTrail from S3' });
  await expect(submitS3).toBeDisabled();
  await s3Form.getByLabel('S3 bucket').fill(BUCKET);
  await expect(s3Form.getByLabel('Accounts')).toHaveValue(VICTIM_ACCOUNT_ID);
  await s3Form.getByLabel('From (Europe/Berlin)').fill('2024-03-01 11:00');
  await s3Form.getByLabel('To (Europe/Berlin)').fill('2024-03-01 14:00');
  await expect(s3Form).toContainText('2024-03-01T10:00:00.000Z in UTC');
  const plan = s3Form.getByRole('region', { name: 'What will be downloaded' });
  await expect(plan).toContainText(`s3://${BUCKET}/AWSLogs/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/`);
  await expect(plan).toContainText('2 day folders will be listed');
  await shot(page, '01-s3-form');
  // A wrong account id is refused with the contract's sentence, before any call to AWS.
  await s3Form.getByLabel('Accounts').fill('1234');
  await submitS3.click();
  await expect(s3Form.getByRole('alert')).toContainText('An AWS account id has 12 digits');
  await s3Form.getByLabel('Accounts').fill(VICTIM_ACCOUNT_ID);
  expect(f.calls.filter((c) => c.action === 'ListObjectsV2' || c.action === 'GetObject')).toEqual([]);
  await submitS3.click();
  // The form closes; the panel says where to follow the job.
  await expect(panel.getByRole('status')).toContainText('Started: CloudTrail from S3');
  await expect(s3Form).toHaveCount(0);

  const acquisitions = page.getByRole('region', { name: 'Acquisitions in this case' });
  const s3Item = acquisitions.getByRole('listitem', { name: /Acquire CloudTrail logs from s3:\/\/org-trail-bucket/ });
  await expect(s3Item).toContainText('succeeded', { timeout: 60_000 });
  await expect(s3Item.getByTestId('aws-logs-counts')).toContainText('9 files acquired as artifacts');
  await expect(s3Item.getByTestId('aws-logs-counts')).toContainText('0 corrupt, 0 failed, of 9 objects listed; CloudTrail public keys saved');
  expect(f.calls.filter((c) => c.action === 'GetObject')).toHaveLength(9);
  await s3Item.scrollIntoViewIfNeeded();
  await shot(page, '02-s3-acquired');

  // Integrity, offline from the case's copies with the signatures and keys recorded at acquisition.
  await s3Item.getByRole('button', { name: 'Validate integrity…' }).click();
  const validate = page.getByRole('dialog', { name: 'Validate CloudTrail integrity' });
  await expect(validate.getByRole('radio', { name: /As acquired from S3 by Caseward: 6 log files, 3 digest files, 1 public key/ })).toBeChecked();
  await validate.getByRole('button', { name: 'Validate 9 files' }).click();
  const verdict = page.getByRole('dialog', { name: 'CloudTrail integrity' });
  await expect(verdict.getByRole('status')).toContainText('All 6 log files and 3 digest files are intact');
  await shot(page, '03-validated');
  await verdict.getByRole('button', { name: 'Close', exact: true }).click();

  // Ingest (keyboard: the button takes focus, Enter presses it), then the events are in the Timeline.
  await s3Item.getByRole('button', { name: 'Ingest into timeline' }).focus();
  await page.keyboard.press('Enter');
  await expect(s3Item.getByRole('status')).toContainText('Ingest of 6 log files queued');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.locator('.tl-summary')).toContainText(`${trailEvents} events in the case`, { timeout: 60_000 });
  await shot(page, '04-timeline');

  // Event history: the pacing is said plainly; the job's own estimate shows while it runs.
  await page.getByRole('tab', { name: 'AWS' }).click();
  await panel.getByRole('button', { name: 'CloudTrail event history' }).click();
  const lookupForm = panel.getByRole('form', { name: 'CloudTrail event history' });
  await expect(lookupForm).toContainText('only 2 LookupEvents requests per second');
  await lookupForm.getByLabel('From (Europe/Berlin)').fill('2024-05-01 02:00');
  await lookupForm.getByLabel('To (Europe/Berlin)').fill('2024-05-02 02:00');
  await lookupForm.getByLabel('Only events with (optional)').selectOption('EventName');
  await lookupForm.getByLabel('Attribute value').fill('ListUsers');
  await shot(page, '05-lookup-form');
  // Slow answers, so the running job's own estimate can be seen: 90 events in 2 pages.
  const slow = f.faults.latency('LookupEvents', 2000);
  await lookupForm.getByRole('button', { name: 'Acquire event history' }).click();
  const lookupItem = acquisitions.getByRole('listitem', { name: /Acquire CloudTrail event history in us-east-1/ });
  await expect(lookupItem.getByRole('status')).toContainText(/50 events, 1 page, \d+ s elapsed, about \d+ s left/, { timeout: 20_000 });
  await lookupItem.scrollIntoViewIfNeeded();
  await shot(page, '06-lookup-running');
  await expect(lookupItem).toContainText('succeeded', { timeout: 60_000 });
  f.faults.remove(slow);
  await expect(lookupItem.getByTestId('aws-logs-counts')).toContainText('90 events in 2 pages as one artifact');
  expect(f.logs.maxLookupsPerSecond()).toBeLessThanOrEqual(2);

  // VPC flow logs from CloudWatch Logs (Berlin is UTC+2 in June): 25 records in 3 pages, then ingested into Flows.
  await panel.getByRole('button', { name: 'VPC flow logs' }).click();
  await expect(panel.getByRole('radio', { name: 'CloudWatch Logs (a log group)' })).toBeChecked();
  const cwlForm = panel.getByRole('form', { name: 'VPC flow logs from CloudWatch Logs' });
  await cwlForm.getByLabel('Log group').fill('/aws/vpc/flows');
  await cwlForm.getByLabel('From (Europe/Berlin)').fill('2024-06-01 10:00');
  await cwlForm.getByLabel('To (Europe/Berlin)').fill('2024-06-01 11:00');
  await expect(cwlForm.getByRole('region', { name: 'What will be downloaded' })).toContainText('/aws/vpc/flows');
  await shot(page, '07-flows-form');
  await cwlForm.getByRole('button', { name: 'Acquire flow logs' }).click();
  const flowItem = acquisitions.getByRole('listitem', { name: /Acquire VPC flow logs from \/aws\/vpc\/flows/ });
  await expect(flowItem).toContainText('succeeded', { timeout: 60_000 });
  await expect(flowItem.getByTestId('aws-logs-counts')).toContainText('25 records in 3 pages as one artifact');
  await flowItem.getByRole('button', { name: 'Ingest flow logs' }).click();
  await expect(flowItem.getByRole('status')).toContainText('Ingest of 1 flow log file queued');
  await flowItem.scrollIntoViewIfNeeded();
  await shot(page, '08-flows-acquired');
  await page.getByRole('tab', { name: 'Flows' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'flow record' })).toContainText('25 flow records in the case', { timeout: 60_000 });
  await shot(page, '09-flows-tab');

  // Flow logs delivered to S3, one object's gzip cut short: it is sealed as S3 holds it, named as corrupt, and left out of the ingest.
  await page.getByRole('tab', { name: 'AWS' }).click();
  await panel.getByRole('button', { name: 'VPC flow logs' }).click();
  await panel.getByRole('radio', { name: /^S3/ }).check();
  const flowS3 = panel.getByRole('form', { name: 'VPC flow logs from S3' });
  await flowS3.getByLabel('S3 bucket').fill('flow-bucket');
  await flowS3.getByLabel('From (Europe/Berlin)').fill('2024-06-02 12:00');
  await flowS3.getByLabel('To (Europe/Berlin)').fill('2024-06-02 13:00');
  await expect(flowS3.getByRole('region', { name: 'What will be downloaded' })).toContainText('s3://flow-bucket/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/');
  await flowS3.getByRole('button', { name: 'Acquire flow logs from S3' }).click();
  const flowS3Item = acquisitions.getByRole('listitem', { name: /Acquire VPC flow logs from s3:\/\/flow-bucket/ });
  await expect(flowS3Item).toContainText('succeeded', { timeout: 60_000 });
  await expect(flowS3Item.getByTestId('aws-logs-counts')).toContainText('2 files acquired as artifacts');
  await expect(flowS3Item.getByTestId('aws-logs-counts')).toContainText('1 corrupt, 0 failed, of 2 objects listed');
  const corrupt = flowS3Item.getByRole('list', { name: 'Objects with problems' }).getByRole('listitem');
  await expect(corrupt).toHaveCount(1);
  await expect(corrupt).toContainText(flowKey('20240602T1025Z', 'ee55ff66'));
  await expect(corrupt).toContainText('gzip data is truncated or corrupt');
  await flowS3Item.getByRole('button', { name: 'Ingest flow logs' }).click();
  await expect(flowS3Item.getByRole('status')).toContainText('Ingest of 1 flow log file queued');
  await flowS3Item.scrollIntoViewIfNeeded();
  await shot(page, '10-flows-s3-corrupt');
  expect(problems).toEqual([]);
});
