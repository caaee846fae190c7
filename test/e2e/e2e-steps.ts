/**
 * Steps the browser e2e specs share: screenshots, page-error capture, the first-run profile, a new case,
 * evidence through the Add evidence dialog, a job row's outcome, a temporary AWS profile for the host,
 * and tearing a spec's temporary folder down. browser-host.ts starts the host itself.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY } from '../aws-fake/index.js';
import { root, type HostProcess } from './browser-host.js';

/** Where every spec's screenshots go. */
export const shotsDir = path.join(root, 'test-output', 'screenshots');

/** A screenshot function writing test-output/screenshots/<prefix><name>.png. */
export function screenshotter(prefix: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    fs.mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: path.join(shotsDir, `${prefix}${name}.png`) });
  };
}

/** Collects uncaught page errors and (unless `console: false`) console errors; a spec asserts the list stays empty. */
export function watchProblems(page: Page, opts: { console?: boolean } = {}): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  if (opts.console !== false) page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()} (${msg.location().url})`));
  return problems;
}

/** Opens the host's page and saves the examiner profile the first run asks for. */
export async function firstRun(page: Page, url: string, who = { name: 'Dana Whitfield', org: 'Northbridge Forensics' }): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Full name').fill(who.name);
  await page.getByLabel('Organisation').fill(who.org);
  await page.getByRole('button', { name: 'Save profile' }).click();
}

/** Creates a case through the New case dialog and waits until it is open. */
export async function createCase(page: Page, c: { number: string; title: string; timeZone?: string }): Promise<void> {
  await page.getByRole('button', { name: 'New case…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New case' });
  await dialog.getByLabel('Case number').fill(c.number);
  await dialog.getByLabel('Title').fill(c.title);
  if (c.timeZone) await dialog.getByLabel('Display time zone').selectOption(c.timeZone);
  await dialog.getByRole('button', { name: 'Create case' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(c.number) })).toBeVisible();
}

/** Adds a file through the Add evidence dialog (copied, or registered in place) and returns its row once hashed. */
export async function addEvidence(page: Page, file: string, mode: 'copy' | 'in-place'): Promise<Locator> {
  await page.getByRole('button', { name: 'Add evidence…' }).click();
  const add = page.getByRole('dialog', { name: 'Add evidence' });
  await add.getByLabel('Evidence file').fill(file);
  if (mode === 'in-place') {
    await add.getByLabel('Register in place').check();
    await add.getByRole('button', { name: 'Register and hash' }).click();
  } else {
    await expect(add.getByLabel('Copy into the case')).toBeChecked();
    await add.getByRole('button', { name: 'Copy and hash' }).click();
  }
  const row = page.getByRole('row').filter({ hasText: path.basename(file) });
  await expect(row.getByText('complete')).toBeVisible({ timeout: 60_000 });
  return row;
}

/** Waits until the newest job row titled `title` in a jobs list (e.g. the Jobs drawer) has succeeded. */
export async function expectJobSucceeded(jobs: Locator, title: string | RegExp): Promise<void> {
  await expect(jobs.getByRole('listitem').filter({ hasText: title }).first().getByTestId('job-state')).toHaveText('succeeded', { timeout: 120_000 });
}

/** Connects the AWS tab with the temporary profile `victim` to the fake at `endpoint`, and waits for the account. */
export async function connectAws(page: Page, endpoint: string, account: string): Promise<void> {
  await page.getByRole('tab', { name: 'AWS' }).click();
  await page.getByLabel('Profile').selectOption('victim');
  await page.getByLabel('Endpoint override (optional)').fill(endpoint);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByTestId('aws-account')).toHaveText(account);
}

/** Writes a temporary AWS profile `victim` (the fake's test keys) under dir/aws; returns the variables that select it. */
export function writeAwsProfile(dir: string, region = 'us-east-1'): Record<string, string> {
  const awsDir = path.join(dir, 'aws');
  fs.mkdirSync(awsDir, { recursive: true });
  fs.writeFileSync(path.join(awsDir, 'config'), `[profile victim]\nregion = ${region}\n`);
  fs.writeFileSync(path.join(awsDir, 'credentials'), `[victim]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`);
  return { AWS_CONFIG_FILE: path.join(awsDir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
}

/** The host's environment: only the temporary victim profile, never the examiner's own keys or an instance role. */
export function awsHostEnv(dir: string, region = 'us-east-1'): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return { ...env, ...writeAwsProfile(dir, region) };
}

/** Stops the host (and the AWS fake), deletes the temporary folder, and fails when the host did not exit cleanly. */
export async function tearDown(t: { host: HostProcess | undefined; tmp: string | undefined; fake?: { close(): Promise<void> } | undefined }): Promise<void> {
  const code = await t.host?.stop();
  await t.fake?.close();
  if (t.tmp) {
    // Case folders hold read-only files; make everything writable again so the folder can go.
    for (const entry of fs.readdirSync(t.tmp, { recursive: true, withFileTypes: true })) {
      if (!entry.isSymbolicLink()) fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
    }
    fs.rmSync(t.tmp, { recursive: true, force: true });
  }
  if (t.host) expect(code, `host did not exit cleanly:\n${t.host.output()}`).toBe(0);
}
