/**
 * The browser door end to end, as an examiner uses it: real host process, real createApp, real
 * SQLite and hashing underneath, Debian's Chromium on top. Waits on what the UI shows, never sleeps.
 * Screenshots of each main step go to test-output/screenshots/.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { screenshotter, watchProblems } from './e2e-steps.js';

const EVIDENCE_MIB = 200;

let tmp: string;
let evidence: string;
let host: HostProcess;

test.beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-'));
  // ~200 MiB of varied bytes so hashing takes long enough for the progress bar to be seen.
  evidence = path.join(tmp, 'source', 'laptop-disk01.raw');
  fs.mkdirSync(path.dirname(evidence));
  const fd = fs.openSync(evidence, 'w');
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < EVIDENCE_MIB; i++) {
    block.writeUInt32LE(i, 0);
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(async () => {
  const code = await host?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  expect(code, `host did not exit cleanly:\n${host?.output()}`).toBe(0);
});

const shot = screenshotter('');

test('an examiner sets up, acquires evidence, verifies, writes a note and exports custody', async ({ page }) => {
  const problems = watchProblems(page);

  await page.goto(host.url);
  // The token leaves the address bar once the page has it.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);

  // First run: the profile is required before anything else.
  await expect(page.getByRole('heading', { name: 'Welcome to Caseward' })).toBeVisible();
  await shot(page, '01-first-run');
  await page.getByLabel('Full name').fill('Dana Whitfield');
  await page.getByLabel('Organisation').fill('Northbridge Forensics');
  await page.getByLabel('Badge or staff ID (optional)').fill('NF-0427');
  await page.getByRole('button', { name: 'Save profile' }).click();

  // Empty case list tells the examiner what to do.
  await expect(page.getByRole('heading', { name: 'No cases on this workstation yet' })).toBeVisible();
  await shot(page, '02-case-list-empty');

  // Escape closes a dialog.
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByRole('dialog', { name: 'New case' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  await page.getByRole('button', { name: 'New case…' }).click();
  const newCase = page.getByRole('dialog', { name: 'New case' });
  await newCase.getByLabel('Case number').fill('CW-2026-014');
  await newCase.getByLabel('Title').fill('Compromised build server, eu-west-1');
  await newCase.getByLabel('Client').fill('Acme Logistics Ltd');
  await newCase.getByLabel('Description').fill('Suspected credential theft from CI runner i-0abc; EBS snapshot acquired by client.');
  await newCase.getByLabel('Display time zone').selectOption('Europe/Berlin');
  await shot(page, '03-new-case-dialog');
  await newCase.getByRole('button', { name: 'Create case' }).click();

  await expect(page.getByRole('heading', { name: /CW-2026-014/ })).toBeVisible();
  await expect(page.getByText('Times shown in Europe/Berlin; stored in UTC.')).toBeVisible();

  // Add evidence by copy.
  await page.getByRole('button', { name: 'Add evidence…' }).click();
  const add = page.getByRole('dialog', { name: 'Add evidence' });
  await add.getByLabel('Evidence file').fill(evidence);
  await expect(add.getByLabel('Copy into the case')).toBeChecked();
  await add.getByLabel('Description').fill('Raw image of laptop disk 0, received on USB drive NF-USB-12.');
  await shot(page, '04-add-evidence-dialog');
  await add.getByRole('button', { name: 'Copy and hash' }).click();

  const drawer = page.getByRole('region', { name: 'Jobs' });
  const bar = drawer.getByRole('progressbar').first();
  await expect(bar).toBeInViewport();
  // Wait for the first real progress tick so the screenshot shows the bar moving, not its empty start.
  await expect.poll(() => bar.evaluate((el) => (el as HTMLProgressElement).value)).toBeGreaterThan(0);
  await shot(page, '05-copy-in-progress');
  const addJob = drawer.getByRole('listitem').filter({ hasText: 'laptop-disk01.raw' }).first();
  await expect(addJob.getByTestId('job-state')).toHaveText('succeeded', { timeout: 120_000 });

  // The displayed SHA-256 is the file's, as an independent tool computes it.
  const row = page.getByRole('row').filter({ hasText: 'laptop-disk01.raw' });
  await expect(row.getByText('complete')).toBeVisible();
  await row.click();
  const detail = page.getByRole('complementary');
  const expectedSha256 = execFileSync('sha256sum', [evidence], { encoding: 'utf8' }).split(' ')[0]!;
  const expectedMd5 = execFileSync('md5sum', [evidence], { encoding: 'utf8' }).split(' ')[0]!;
  const sha256Text = (await detail.locator('.hash-line', { hasText: 'SHA-256' }).locator('code').textContent())?.trim();
  expect(sha256Text).toBe(expectedSha256);
  await expect(detail.locator('.hash-line', { hasText: 'MD5' }).locator('code')).toHaveText(expectedMd5);
  await expect(row.locator('code.hash')).toHaveAttribute('title', expectedSha256);
  await expect(detail.getByText(`${(EVIDENCE_MIB * 1024 * 1024).toLocaleString('en-US')} bytes`)).toBeVisible();
  await shot(page, '06-artifact-detail');

  // Verify all, then the table says match.
  await page.getByRole('button', { name: 'Verify all' }).click();
  await expect(row.getByText('✓ match')).toBeVisible({ timeout: 120_000 });
  await expect(drawer.getByRole('listitem').filter({ hasText: /verif/i }).first().getByTestId('job-state')).toHaveText('succeeded');
  await shot(page, '07-verified-match');

  // Keyboard: the table is reachable and arrow keys keep focus on rows.
  await row.focus();
  await page.keyboard.press('ArrowDown');
  await expect(row).toBeFocused();

  // A note, previewed as sanitised markdown, then revised.
  await page.getByRole('tab', { name: 'Notes' }).click();
  await page.getByRole('button', { name: 'New note…' }).click();
  await page.getByLabel('Note title').fill('Initial triage');
  await page
    .getByLabel('Body (Markdown)')
    .fill('## Findings\n\n- Image received **sealed**, seal NF-S-88812 intact.\n- `sha256sum` matches the acquisition log.\n\n<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
  const preview = page.locator('.preview-box');
  await expect(preview.getByRole('heading', { name: 'Findings' })).toBeVisible();
  await expect(preview.locator('strong')).toHaveText('sealed');
  // Raw HTML shows as the literal text typed, never as live markup.
  expect(await preview.locator('script, img, [onerror]').count()).toBe(0);
  await expect(preview).toContainText('<img src=x onerror=');
  await page.getByRole('button', { name: 'Save note' }).click();
  await expect(page.getByRole('heading', { name: 'Initial triage' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Body (Markdown)').press('ControlOrMeta+End');
  await page.getByLabel('Body (Markdown)').pressSequentially('\n\nAddendum: write blocker serial WB-5521.');
  await page.getByRole('button', { name: 'Save new revision' }).click();
  await expect(page.getByText('Revision 2 by Dana Whitfield')).toBeVisible();

  // Someone else saves in between (another window): saving on the old base is refused with CONFLICT.
  await page.getByRole('button', { name: 'Edit' }).click();
  const behindTheBack = await page.evaluate(async () => {
    const token = sessionStorage.getItem('caseward.sessionToken');
    const call = async (channel: string, input: unknown) => {
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ channel, input }),
      });
      return (await res.json()) as { ok: boolean; value: never };
    };
    const caseId = ((await call('cases.list', {})).value as Array<{ id: string }>)[0]!.id;
    const note = ((await call('notes.list', { caseId })).value as Array<{ id: string; revision: number; title: string; body: string }>)[0]!;
    return call('notes.revise', { caseId, noteId: note.id, baseRevision: note.revision, title: note.title, body: `${note.body}\n\nSecond examiner: bag 3 resealed.` });
  });
  expect(behindTheBack.ok).toBe(true);
  await expect(page.getByText('Revision 3 was saved by someone else')).toBeVisible();
  await expect(page.getByLabel('Body (Markdown)')).toHaveValue(/Addendum/);
  await page.getByLabel('Body (Markdown)').fill('My stale edit');
  await page.getByRole('button', { name: 'Save new revision' }).click();
  await expect(page.getByRole('alert').locator('.error-code')).toHaveText('CONFLICT');
  await expect(page.getByLabel('Body (Markdown)')).toHaveValue('My stale edit');
  await shot(page, '08a-note-conflict');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'History (3)' }).click();
  await expect(page.getByRole('button', { name: /Revision 1/ })).toBeVisible();
  await page.getByRole('button', { name: /Revision 1/ }).click();
  await expect(page.getByRole('article', { name: 'Revision 1' })).not.toContainText('Addendum');
  await shot(page, '08-note-history');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // Custody: chain verifies, and a PDF export is written with its hash.
  await page.getByRole('tab', { name: 'Custody log' }).click();
  await expect(page.getByRole('cell', { name: 'Dana Whitfield' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText('Chain intact.')).toBeVisible();
  await page.getByRole('button', { name: 'Export custody log as PDF' }).click();
  const exportPath = (await page.locator('.export-path').textContent())!.trim();
  const shownSha = (await page.locator('.export-sha256').textContent())!.trim();
  expect(fs.existsSync(exportPath)).toBe(true);
  const pdf = fs.readFileSync(exportPath);
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(execFileSync('sha256sum', [exportPath], { encoding: 'utf8' }).split(' ')[0]).toBe(shownSha);
  await page.getByRole('row').nth(1).click();
  await shot(page, '09-custody-export');

  expect(problems).toEqual([]);
});
