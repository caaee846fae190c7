/**
 * The browser door across a host restart: an examiner's error is shown as code + message, a job
 * cut off by stopping the host comes back as interrupted, and resuming it is the examiner's call.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { screenshotter } from './e2e-steps.js';

// Sparse, so it costs no disk, yet hashing it takes a few seconds: long enough to stop the host mid-job.
const EVIDENCE_BYTES = 1024 * 1024 * 1024;

let tmp: string;
let evidence: string;
let host: HostProcess | undefined;

test.beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-resume-'));
  evidence = path.join(tmp, 'drive', 'vol-0f3a-snapshot.img');
  fs.mkdirSync(path.dirname(evidence));
  fs.writeFileSync(evidence, 'CASEWARD-E2E');
  fs.truncateSync(evidence, EVIDENCE_BYTES);
});

test.afterAll(async () => {
  await host?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const shot = screenshotter('');

const userData = () => path.join(tmp, 'user-data');
const casesDir = () => path.join(tmp, 'cases');

test('errors are shown, and an interrupted job is resumed by the examiner after a restart', async ({ page }) => {
  host = await startHostProcess(userData(), casesDir());
  await page.goto(host.url);
  await page.getByLabel('Full name').fill('Sam Okafor');
  await page.getByLabel('Organisation').fill('Harbour DFIR');
  await page.getByRole('button', { name: 'Save profile' }).click();

  // The examiner menu is reachable by keyboard and Escape closes it.
  await page.getByRole('button', { name: /Sam Okafor/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Edit examiner profile…' })).toBeFocused();
  await shot(page, '10-examiner-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Edit examiner profile…' })).toHaveCount(0);

  await page.getByRole('button', { name: 'New case…' }).click();
  await page.getByLabel('Case number').fill('HB-77');
  await page.getByLabel('Title').fill('Exfiltration via EBS snapshot share');
  await page.getByRole('button', { name: 'Create case' }).click();
  await expect(page.getByText('Times shown in UTC; stored in UTC.')).toBeVisible();

  // A bad path: the envelope's code and message are shown and the dialog keeps the input.
  await page.getByRole('button', { name: 'Add evidence…' }).click();
  const add = page.getByRole('dialog', { name: 'Add evidence' });
  await add.getByLabel('Evidence file').fill(path.join(tmp, 'no-such-file.img'));
  await add.getByRole('button', { name: 'Copy and hash' }).click();
  const alert = add.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert.locator('.error-code')).toHaveText(/^[A-Z_]+$/);
  await expect(alert.locator('.error-text')).not.toBeEmpty();
  await shot(page, '11-error-in-dialog');

  // Register in place, then stop the host while it hashes.
  await add.getByLabel('Evidence file').fill(evidence);
  await add.getByLabel('Register in place').check();
  await add.getByRole('button', { name: 'Register and hash' }).click();
  const drawer = page.getByRole('region', { name: 'Jobs' });
  const job = drawer.getByRole('listitem').filter({ hasText: 'vol-0f3a-snapshot.img' }).first();
  await expect.poll(() => job.getByRole('progressbar').evaluate((el) => (el as HTMLProgressElement).value)).toBeGreaterThan(0);
  await expect(job.getByTestId('job-state')).toHaveText('running');
  expect(await host.stop()).toBe(0);
  await expect(page.getByText(/Connection to the host lost/)).toBeVisible();
  await shot(page, '12-host-stopped');

  // Same workstation folder, new host (new port, new token).
  host = await startHostProcess(userData(), casesDir());
  await page.goto(host.url);
  const recent = page.getByRole('row').filter({ hasText: 'HB-77' });
  await expect(recent).toBeVisible();
  await shot(page, '13-case-list');
  await recent.getByRole('button', { name: /Open case HB-77/ }).click();

  const interrupted = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'vol-0f3a-snapshot.img' }).first();
  await expect(interrupted.getByTestId('job-state')).toHaveText('interrupted');
  await expect(interrupted.getByText(/Resuming restarts the hashing from the start/)).toBeVisible();
  await expect(interrupted.getByRole('button', { name: 'Discard…' })).toBeVisible();
  await shot(page, '14-interrupted-job');
  await interrupted.getByRole('button', { name: 'Resume' }).click();
  await expect(interrupted.getByTestId('job-state')).toHaveText('succeeded', { timeout: 120_000 });

  const row = page.getByRole('row').filter({ hasText: 'vol-0f3a-snapshot.img' });
  await row.click();
  const expected = execFileSync('sha256sum', [evidence], { encoding: 'utf8' }).split(' ')[0]!;
  await expect(page.getByRole('complementary').locator('.hash-line', { hasText: 'SHA-256' }).locator('code')).toHaveText(expected);
  await expect(page.getByRole('complementary').getByText('Registered in place')).toBeVisible();
  await shot(page, '15-resumed-in-place');
});
