/**
 * The Timeline's log screens end to end in Debian's Chromium: a signed CloudTrail trail (digest chain
 * signed with a key made here) with one log file changed before acquisition is validated in the UI
 * (the changed file named invalid, the rest valid); a few attack events are ingested and a highlight
 * rule focuses the timeline on exactly its hits (a denied attempt of the same call in between is not
 * one of them); the filtered view is exported as CSV and its SHA-256 checked with
 * sha256sum; a VPC flow log is ingested in the Flows tab and filtered by address and by the addresses
 * seen in CloudTrail. Screenshots: test-output/screenshots/logs-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { addEvidence, createCase, expectJobSucceeded, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

/** The address the trail's events come from; the flow log talks to it too. */
const ATTACKER_IP = '198.51.100.7';

let tmp: string;
let host: HostProcess;
let trail: Trail;
let tampered: string;
let attackFile: string;
let flowFile: string;

function attackEvents(): Record<string, unknown>[] {
  const who = { type: 'IAMUser', principalId: 'AIDAATTACKER', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAATTACKER', userName: 'mallory' };
  const base = { eventVersion: '1.08', userIdentity: who, awsRegion: 'us-east-1', sourceIPAddress: ATTACKER_IP, userAgent: 'aws-cli/2.15.0', eventType: 'AwsApiCall', recipientAccountId: '111122223333' };
  return [
    { ...base, eventTime: '2024-03-01T10:41:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'management-events' }, responseElements: null, requestID: 'r-1', eventID: 'e2e-stop-logging', readOnly: false },
    { ...base, eventTime: '2024-03-01T10:44:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'backup' }, responseElements: { accessKey: { accessKeyId: 'AKIANEW1' } }, requestID: 'r-2', eventID: 'e2e-key-1', readOnly: false },
    // Denied: the same call inside the rule's span, which the rule (errorCode "none") does not flag.
    { ...base, eventTime: '2024-03-01T10:50:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'admin' }, responseElements: null, errorCode: 'AccessDenied', errorMessage: 'User: mallory is not authorized', requestID: 'r-2b', eventID: 'e2e-key-denied', readOnly: false },
    { ...base, eventTime: '2024-03-01T11:02:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey', requestParameters: { userName: 'ops' }, responseElements: { accessKey: { accessKeyId: 'AKIANEW2' } }, requestID: 'r-3', eventID: 'e2e-key-2', readOnly: false },
  ];
}

/** A default-format (v2) flow log with a header: traffic to and from the attacker's address and some other. */
function flowLog(): string {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  const t0 = Date.parse('2024-03-01T10:30:00Z') / 1000;
  for (let i = 0; i < 30; i++) {
    const t = t0 + i * 60;
    if (i % 3 === 0) lines.push(`2 111122223333 eni-0a1b2c3d4e5f 10.0.1.5 ${ATTACKER_IP} 443 ${50000 + i} 6 12 4210 ${t} ${t + 60} ACCEPT OK`);
    else if (i % 3 === 1) lines.push(`2 111122223333 eni-0a1b2c3d4e5f 203.0.113.${i} 10.0.1.5 ${40000 + i} 22 6 3 180 ${t} ${t + 60} REJECT OK`);
    else lines.push(`2 111122223333 eni-0f9e8d7c6b5a 10.0.2.9 10.0.1.5 ${30000 + i} 53 17 1 76 ${t} ${t + 60} ACCEPT OK`);
  }
  return `${lines.join('\n')}\n`;
}

test.beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-logs-'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  trail = await buildTrail({ dir: path.join(tmp, 'trail'), privateKey, hours: 3 });
  // One event's address changed after delivery: the gzip is valid, the content no longer what the digest recorded.
  tampered = trail.logs[2]!.path;
  const text = gunzipSync(fs.readFileSync(tampered)).toString('utf8').replace('198.51.100.7', '198.51.100.8');
  fs.writeFileSync(tampered, gzipSync(Buffer.from(text)));
  fs.mkdirSync(path.join(tmp, 'other'));
  attackFile = path.join(tmp, 'other', 'attack-events.json');
  fs.writeFileSync(attackFile, JSON.stringify({ Records: attackEvents() }));
  flowFile = path.join(tmp, 'other', 'vpc-flows-eni.log.gz');
  fs.writeFileSync(flowFile, gzipSync(flowLog()));
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(() => tearDown({ host, tmp }));

const shot = screenshotter('logs-');

/** Opens or closes the Jobs drawer (closed for screenshots, so the screen shows the view). */
async function drawer(page: Page, open: boolean): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Jobs/ });
  if ((await toggle.getAttribute('aria-expanded')) !== String(open)) await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', String(open));
}

async function jobSucceeded(page: Page, title: string): Promise<void> {
  await drawer(page, true);
  await expectJobSucceeded(page.getByRole('region', { name: 'Jobs' }), title);
}

test('an examiner validates a trail, follows a highlight, exports the view and filters flows', async ({ page }) => {
  const problems = watchProblems(page);

  await firstRun(page, host.url);
  await createCase(page, { number: 'CW-2026-044', title: 'Keys created after the trail was stopped', timeZone: 'UTC' });

  for (const f of [...trail.logs, ...trail.digests]) await addEvidence(page, f.path, 'copy');
  await addEvidence(page, attackFile, 'copy');
  await addEvidence(page, flowFile, 'copy');

  // Integrity first, before anything reads the logs.
  await drawer(page, false);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByRole('button', { name: 'Validate integrity…' }).click();
  const validate = page.getByRole('dialog', { name: 'Validate CloudTrail integrity' });
  await expect(validate.getByText('Found 6 log files and 3 digest files')).toBeVisible();
  await expect(validate.getByLabel('S3 bucket the trail delivered to')).toHaveValue('example-trail-bucket');
  const newest = trail.digests[trail.digests.length - 1]!;
  await validate.getByLabel(path.basename(newest.path)).fill(newest.signatureHex!);
  const keys = { PublicKeyList: trail.publicKeys.map((k) => ({ Value: k.value, ValidityStartTime: k.validityStart, ValidityEndTime: k.validityEnd, Fingerprint: k.fingerprint })) };
  await validate.getByLabel('CloudTrail public keys (JSON)').fill(JSON.stringify(keys, null, 2));
  await shot(page, '01-validate-dialog');
  await validate.getByRole('button', { name: 'Validate 9 files' }).click();
  await expect(validate).toHaveCount(0);

  const report = page.getByRole('region', { name: 'CloudTrail integrity report' });
  await expect(report.getByRole('status')).toHaveText(/^Problems found: 1 log file invalid\.$/);
  const count = (label: string) => report.locator('.iv-count').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  await expect(count('Valid log files')).toHaveText('5');
  await expect(count('Invalid log files')).toHaveText('1');
  await expect(count('Valid digest files')).toHaveText('3');
  await expect(count('Gaps in the digest chain')).toHaveText('0');
  const tamperedName = path.basename(tampered);
  await expect(report.locator('.iv-problems li')).toHaveCount(1);
  await expect(report.locator('.iv-problems li')).toContainText(`Log file ${tamperedName}: Invalid.`);
  await expect(report.locator('.iv-problems li')).toContainText("hash value doesn't match");
  // Only problems by default: the one invalid file; all files when unticked, every other one valid.
  const fileRows = report.locator('table.iv-files tbody tr.row');
  await expect(fileRows).toHaveCount(1);
  await shot(page, '02-report-problems');
  await report.getByLabel('Show only problems').uncheck();
  await expect(fileRows).toHaveCount(9);
  await report.locator('table.iv-files').scrollIntoViewIfNeeded();
  await expect(report.locator('table.iv-files tbody tr.row[data-status="invalid"]')).toHaveCount(1);
  await expect(report.locator('table.iv-files tbody tr.row[data-status="invalid"]')).toContainText(tamperedName);
  await expect(report.locator('table.iv-files tbody tr.row[data-status="valid"]')).toHaveCount(8);
  await shot(page, '03-report-all');
  await page.getByRole('tab', { name: 'Custody log' }).click();
  await expect(page.getByRole('row').filter({ has: page.locator('code', { hasText: /^logs\.validated$/ }) })).toHaveCount(1);

  // Ingest the trail's logs and the attack events (not the digests).
  await page.getByRole('tab', { name: 'Artifacts' }).click();
  await page.getByRole('button', { name: 'Ingest as CloudTrail…' }).click();
  const ingest = page.getByRole('dialog', { name: 'Ingest as CloudTrail' });
  for (const d of trail.digests) await ingest.getByRole('checkbox', { name: path.basename(d.path) }).uncheck();
  for (const f of [...trail.logs.map((l) => l.path), attackFile]) await ingest.getByRole('checkbox', { name: path.basename(f) }).check();
  await ingest.getByRole('button', { name: 'Ingest 7 files' }).click();
  await jobSucceeded(page, 'Ingest CloudTrail');
  await jobSucceeded(page, 'Index CloudTrail events');

  // Highlights: the rules fire on the attack events; a rule narrows the timeline to exactly its events.
  await drawer(page, false);
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'in the case' })).toContainText(/^22 events in the case/);
  await page.getByRole('button', { name: 'Highlights' }).click();
  const panel = page.getByRole('navigation', { name: 'Highlights' });
  const stop = panel.getByRole('button', { name: /CloudTrail logging stopped/ });
  await expect(stop).toContainText('T1562.008');
  await expect(stop).toContainText('critical');
  const keysRule = panel.getByRole('button', { name: /IAM access key created/ });
  await expect(keysRule.locator('.tl-hl-count')).toHaveText('2');
  await keysRule.click();
  await expect(keysRule).toHaveAttribute('aria-pressed', 'true');
  const rows = page.locator('table.tl-table tbody tr.row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('2024-03-01 10:44:00');
  await expect(rows.nth(1)).toContainText('2024-03-01 11:02:00');
  await expect(rows.filter({ hasText: 'AccessDenied' })).toHaveCount(0);
  await expect(rows.locator('.tl-hl-mark')).toHaveCount(2);
  // The focus is its own filter, shown as a chip; the form fields stay as the examiner left them.
  const filterForm = page.getByRole('form', { name: 'Timeline filters' });
  await expect(filterForm.locator('.tl-chip')).toHaveText(/^Highlight: IAM access key created \(2 events\)/);
  await expect(page.getByLabel('Event name', { exact: true })).toHaveValue('');
  await expect(page.getByRole('status').filter({ hasText: 'match' })).toContainText(/^2 events match 1 filter/);
  await shot(page, '04-highlights');
  await rows.first().click();
  await expect(page.getByRole('complementary', { name: 'Event detail' })).toContainText('Highlight: IAM access key created');
  await page.getByRole('button', { name: 'Close event detail' }).click();

  // Export exactly this view as CSV; the hash shown is the file's in the case folder.
  await page.getByRole('button', { name: 'Export…' }).click();
  const exp = page.getByRole('dialog', { name: 'Export timeline' });
  await expect(exp.getByLabel(/^CSV/)).toBeChecked();
  await exp.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(exp.getByText('Exported 2 events.', { exact: false })).toBeVisible();
  const shown = (await exp.locator('#tl-export-sha256').textContent())!.trim();
  const absolute = (await exp.locator('.kv dd code.path').nth(1).textContent())!.trim();
  expect(absolute.startsWith(path.join(tmp, 'cases'))).toBe(true);
  expect(absolute).toContain(`${path.sep}exports${path.sep}`);
  const sum = execFileSync('sha256sum', [absolute], { encoding: 'utf8' }).split(' ')[0];
  expect(shown).toBe(sum);
  const csv = fs.readFileSync(absolute, 'utf8').trim().split('\n');
  expect(csv).toHaveLength(3);
  expect(csv.slice(1).map((l) => l.split(',')[12])).toEqual(['e2e-key-1', 'e2e-key-2']);
  await shot(page, '05-export');
  await exp.getByRole('button', { name: 'Done' }).click();
  // Removing the chip ends the focus: the whole timeline again, the rule no longer pressed.
  await filterForm.getByRole('button', { name: 'Remove filter Highlight: IAM access key created (2 events)' }).click();
  await expect(filterForm.locator('.tl-chip')).toHaveCount(0);
  await expect(keysRule).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('status').filter({ hasText: 'in the case' })).toContainText(/^22 events in the case/);

  // Flows: ingest the flow log, filter by address, then only flows touching CloudTrail addresses.
  await page.getByRole('tab', { name: 'Flows' }).click();
  await expect(page.getByRole('heading', { name: 'No VPC flow records in this case yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Ingest flow logs…' }).click();
  const flows = page.getByRole('dialog', { name: 'Ingest VPC flow logs' });
  await expect(flows.getByRole('checkbox', { name: path.basename(flowFile) })).toBeChecked();
  await flows.getByRole('button', { name: 'Ingest 1 file' }).click();
  await jobSucceeded(page, 'Ingest VPC flow log');
  await drawer(page, false);
  const status = page.getByRole('status').filter({ hasText: 'flow record' });
  await expect(status).toContainText(/^30 flow records in the case/);
  await page.getByLabel('Address', { exact: true }).fill(ATTACKER_IP);
  await page.getByLabel('Address', { exact: true }).press('Enter');
  await expect(status).toContainText(/^10 flow records match 1 filter/);
  const flowRows = page.locator('table.fl-table tbody tr.row');
  await expect(flowRows).toHaveCount(10);
  await flowRows.first().click();
  const flowDetail = page.getByRole('complementary', { name: 'Flow detail' });
  await expect(flowDetail).toContainText('(of the uncompressed file; the header is line 1)');
  // Keyboard: arrows move the selected row and the detail follows.
  await flowRows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('table.fl-table tbody tr.row[aria-current="true"]')).toBeFocused();
  await expect(flowDetail).toContainText('port 50003');
  await shot(page, '06-flows-address');
  await page.getByRole('button', { name: 'Close flow detail' }).click();
  await page.getByLabel('Address', { exact: true }).fill('');
  await page.getByLabel('Only flows touching an address seen in CloudTrail').check();
  const seen = page.getByRole('list', { name: 'Addresses seen in CloudTrail' });
  await expect(seen.getByRole('listitem')).toHaveCount(1);
  await expect(seen).toContainText(`${ATTACKER_IP} 21 CloudTrail events, 10 flows`);
  await expect(flowRows).toHaveCount(10);
  await shot(page, '07-flows-touching');

  expect(problems).toEqual([]);
});
