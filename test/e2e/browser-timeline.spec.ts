/**
 * The Timeline end to end in Debian's Chromium: CloudTrail files added as evidence, ingested from the
 * Artifacts tab, filtered, one event opened (raw JSON) and pinned into a new note whose reference
 * carries the log file's SHA-256; custody shows timeline.pinned. Uses the Stratus Red Team detonation
 * logs when ../shared/testdata has them, otherwise small synthetic files, so it never skips.
 * Screenshots: test-output/screenshots/timeline-*.png.
 */
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { syntheticRecords } from '../support/logs-synthetic.js';
import { ensureBuilt, root, startHostProcess, type HostProcess } from './browser-host.js';
import { addEvidence, createCase, expectJobSucceeded, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const stratus = path.join(root, '..', 'shared', 'testdata', 'stratus-red-team-detonation-logs');
const STRATUS_FILES = [
  'aws.defense-evasion.cloudtrail-stop.json',
  'aws.defense-evasion.cloudtrail-delete.json',
  'aws.persistence.iam-create-admin-user.json',
  'aws.exfiltration.ec2-share-ebs-snapshot.json',
];

interface Target {
  file: string;
  eventID: string;
  eventName: string;
  sourceIp: string;
  eventTime: string;
}

const BULK = 1500;

let tmp: string;
let host: HostProcess;
let files: string[];
let target: Target;

/** The Stratus files when present; else four synthetic .json.gz files with one StopLogging event planted. */
function prepareFiles(dir: string): { files: string[]; target: Target } {
  if (STRATUS_FILES.every((f) => fs.existsSync(path.join(stratus, f)))) {
    const list = STRATUS_FILES.map((f) => path.join(stratus, f));
    const records = JSON.parse(fs.readFileSync(list[0]!, 'utf8')) as { eventID: string; eventName: string; sourceIPAddress: string; eventTime: string }[];
    const stop = records.find((r) => r.eventName === 'StopLogging')!;
    return { files: list, target: { file: list[0]!, eventID: stop.eventID, eventName: 'StopLogging', sourceIp: stop.sourceIPAddress, eventTime: stop.eventTime } };
  }
  console.warn(`Stratus logs not found in ${stratus}: using synthetic CloudTrail files`);
  const list: string[] = [];
  let plantedTime = '';
  for (let i = 0; i < 4; i++) {
    const records: Record<string, unknown>[] = syntheticRecords(250, i * 250, 3);
    if (i === 0) plantedTime = records[100]!.eventTime as string;
    if (i === 0) records.splice(100, 0, { ...records[100], eventID: 'e2e-stop-0001', eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', sourceIPAddress: '198.51.100.77' });
    const file = path.join(dir, `111122223333_CloudTrail_eu-west-1_20260301T0${i}00Z_e2e.json.gz`);
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records })));
    list.push(file);
  }
  return { files: list, target: { file: list[0]!, eventID: 'e2e-stop-0001', eventName: 'StopLogging', sourceIp: '198.51.100.77', eventTime: plantedTime } };
}

test.beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-timeline-'));
  fs.mkdirSync(path.join(tmp, 'source'));
  ({ files, target } = prepareFiles(path.join(tmp, 'source')));
  // Enough events for several pages, so scrolling must load more (the table holds pages, not everything).
  const bulk = path.join(tmp, 'source', '111122223333_CloudTrail_us-east-1_20260301T0000Z_bulk.json.gz');
  fs.writeFileSync(bulk, gzipSync(JSON.stringify({ Records: syntheticRecords(BULK, 50_000, 9) })));
  files.push(bulk);
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(() => tearDown({ host, tmp }));

const shot = screenshotter('timeline-');

test('an examiner ingests CloudTrail, filters the timeline, opens an event and pins it into a note', async ({ page }) => {
  const problems = watchProblems(page);

  await firstRun(page, host.url);
  await createCase(page, { number: 'CW-2026-031', title: 'Trail stopped in the payments account', timeZone: 'Europe/Berlin' });

  // Before any ingest the Timeline says how to get events into it.
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await expect(page.getByRole('heading', { name: 'No CloudTrail events in this case yet' })).toBeVisible();
  await shot(page, '01-empty');

  await page.getByRole('tab', { name: 'Artifacts' }).click();
  for (const file of files) await addEvidence(page, file, 'copy');

  await page.getByRole('button', { name: 'Ingest as CloudTrail…' }).click();
  const ingest = page.getByRole('dialog', { name: 'Ingest as CloudTrail' });
  for (const file of files) await ingest.getByRole('checkbox', { name: path.basename(file) }).check();
  await shot(page, '02-ingest-dialog');
  await ingest.getByRole('button', { name: `Ingest ${files.length} files` }).click();
  await expect(ingest).toHaveCount(0);

  const drawer = page.getByRole('region', { name: 'Jobs' });
  await expectJobSucceeded(drawer, 'Ingest CloudTrail');
  await expectJobSucceeded(drawer, 'Index CloudTrail events');
  await shot(page, '03-jobs-done');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const table = page.locator('table.tl-table');
  const rows = table.locator('tbody tr.row');
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByText('Times in Europe/Berlin; stored in UTC.')).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Time (Europe/Berlin)' })).toBeVisible();
  // The text index ran, so free text is offered.
  await expect(page.getByLabel('Free text', { exact: true })).toBeEnabled();
  await expect(page.getByRole('navigation', { name: 'Facets' }).getByRole('button', { name: new RegExp(`^${target.eventName}\\b`) })).toBeVisible();
  await shot(page, '04-timeline');

  // Paging: the first page is a few hundred rows; scrolling to the end loads the next; the DOM stays small.
  const summary = page.getByRole('status').filter({ hasText: 'in the case' });
  const loaded = async (): Promise<number> => Number(/([\d,]+) loaded/.exec((await summary.textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
  await expect(summary).toContainText(/events in the case/);
  const firstLoad = await loaded();
  const grandTotal = Number(/^([\d,]+)/.exec((await summary.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
  expect(grandTotal).toBeGreaterThanOrEqual(BULK);
  expect(firstLoad).toBeLessThan(grandTotal);
  await page.locator('.tl-table-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect.poll(loaded).toBeGreaterThan(firstLoad);
  expect(await rows.count()).toBeLessThan(120);

  // Keyboard: a row takes focus, arrows move it and the detail follows.
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  const second = table.locator('tbody tr.row[aria-current="true"]');
  await expect(second).toBeFocused();
  const secondName = (await second.locator('td').nth(2).textContent())!;
  await expect(page.getByRole('complementary', { name: 'Event detail' }).getByRole('heading', { level: 2 })).toHaveText(secondName);
  await page.getByRole('button', { name: 'Close event detail' }).click();

  // A time range typed in the case's zone (Berlin) is queried in UTC: one second around the event.
  const berlin = (t: number): string => new Date(t).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' });
  const at = Date.parse(target.eventTime);
  await page.getByLabel('From (Europe/Berlin)').fill(berlin(at));
  await page.getByLabel('To, exclusive (Europe/Berlin)').fill(berlin(at + 1000));
  await expect(page.getByText(`= ${new Date(at).toISOString().replace('.000Z', 'Z')} UTC`)).toBeVisible();
  await page.getByLabel('Event name', { exact: true }).fill(target.eventName);
  await page.getByLabel('Source IP', { exact: true }).fill(target.sourceIp);
  await page.getByLabel('Source IP', { exact: true }).press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'matches 4 filters' })).toContainText(/^1 event matches/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(target.eventName);
  await shot(page, '05-filtered');

  await rows.first().click();
  const detail = page.getByRole('complementary', { name: 'Event detail' });
  const raw = detail.getByLabel('Raw record JSON');
  await expect(raw).toContainText(`"eventID": "${target.eventID}"`);
  const sha256 = createHash('sha256').update(fs.readFileSync(target.file)).digest('hex');
  await expect(detail.getByText(sha256)).toBeVisible();
  await shot(page, '06-event-detail');

  await detail.getByRole('button', { name: 'Pin to note…' }).click();
  const pin = page.getByRole('dialog', { name: 'Pin event to a note' });
  await expect(pin.getByLabel('A new note')).toBeChecked();
  await pin.getByLabel('Note title').fill('Trail stopped by the attacker');
  await pin.getByLabel('Comment (optional)').fill('First defence-evasion step.');
  await shot(page, '07-pin-dialog');
  await pin.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(detail.getByRole('status')).toContainText('Pinned to note “Trail stopped by the attacker” (revision 1)');

  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByRole('button', { name: /Trail stopped by the attacker/ }).click();
  const body = page.getByLabel('Note body');
  await expect(body).toContainText(`event id:      ${target.eventID}`);
  await expect(body).toContainText(`log sha256:    ${sha256}`);
  await expect(body).toContainText('First defence-evasion step.');
  await shot(page, '08-note');

  await page.getByRole('tab', { name: 'Custody log' }).click();
  const pinnedRow = page.getByRole('row').filter({ has: page.locator('code', { hasText: /^timeline\.pinned$/ }) });
  await expect(pinnedRow).toHaveCount(1);
  await expect(pinnedRow).toContainText(`eventId: ${target.eventID}`);
  await pinnedRow.click();
  await expect(page.locator('pre.json').filter({ hasText: sha256 })).toBeVisible();
  await shot(page, '09-custody');

  expect(problems).toEqual([]);
});
