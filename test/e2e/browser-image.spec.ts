/**
 * Image review end to end in Debian's Chromium: a GPT disk with one ext4 partition (sfdisk + mkfs.ext4 -d)
 * is registered in place, opened from the artifact detail, browsed to a nested file whose first bytes the
 * hex view shows, and exported; the new artifact's SHA-256 equals `icat -o <sector> IMAGE <inode> | sha256sum`.
 * Screenshots: test-output/screenshots/image-*.png.
 */
import { expect, test } from '@playwright/test';
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ext4InGptDisk, GPT_P1_SECTOR } from '../support/fs-ext4-support.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { addEvidence, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const P1_SECTOR = GPT_P1_SECTOR;
const missing = ['mkfs.ext4', 'sfdisk', 'icat'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const TEXT = 'Quarterly ledger export\nacct 4411 moved 12,400.00 EUR to 7720\n'.repeat(120);

let tmp: string;
let host: HostProcess | undefined;
let disk: string;

/** The known tree: nested text file, a binary file, a symlink. */
function buildDisk(dir: string): string {
  const src = path.join(dir, 'tree');
  fs.mkdirSync(path.join(src, 'home', 'dana', 'reports'), { recursive: true });
  fs.writeFileSync(path.join(src, 'home', 'dana', 'reports', 'ledger.txt'), TEXT);
  fs.writeFileSync(path.join(src, 'home', 'dana', 'blob.bin'), Buffer.from(Array.from({ length: 9000 }, (_, i) => (i * 7) % 256)));
  fs.symlinkSync('reports/ledger.txt', path.join(src, 'home', 'dana', 'latest'));
  return ext4InGptDisk(dir, src, { fsMiB: 16, diskMiB: 24, label: 'rootfs', name: 'root' });
}

test.beforeAll(async () => {
  if (missing.length > 0) return;
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-image-'));
  disk = buildDisk(tmp);
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(() => tearDown({ host, tmp }));

const shot = screenshotter('image-');

test('open an image, browse to a file, hex view, export it; the exported hash equals icat | sha256sum', async ({ page }) => {
  if (missing.length > 0) console.warn(`image e2e skipped: ${missing.join(', ')} not installed`);
  test.skip(missing.length > 0, `needs ${missing.join(', ')}`);
  const problems = watchProblems(page);

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-055', title: 'Laptop disk of the finance clerk', timeZone: 'Europe/Berlin' });

  // Registered in place: the image is read where it is, never copied or changed.
  const diskRow = await addEvidence(page, disk, 'in-place');
  await diskRow.click();
  await page.getByRole('button', { name: 'Open image' }).click();

  await expect(page.getByRole('tab', { name: 'Image' })).toHaveAttribute('aria-selected', 'true');
  const parts = page.getByRole('table', { name: 'Partitions' });
  await expect(parts.getByRole('row').nth(1)).toContainText(String(P1_SECTOR));
  await expect(parts.getByRole('row').nth(1)).toContainText('root');
  await expect(parts.getByRole('row').nth(1)).toContainText('rootfs');
  await expect(page.getByText('GPT · 512-byte sectors')).toBeVisible();
  await shot(page, '01-overview');

  // Raw bytes of the whole disk and of a partition: the GPT header at sector 1, the ext4 magic at 0x438.
  await page.getByRole('button', { name: 'Raw hex…' }).click();
  const raw = page.getByRole('region', { name: 'Raw hex view' });
  await raw.getByRole('textbox', { name: 'Offset' }).fill('s:1');
  await raw.getByRole('button', { name: 'Go' }).click();
  await expect(raw.getByLabel('Raw hex')).toContainText('00000200  45 46 49 20 50 41 52 54');
  await raw.getByRole('combobox', { name: 'Read from' }).selectOption('1');
  await raw.getByRole('textbox', { name: 'Offset' }).fill('0x438');
  await raw.getByRole('button', { name: 'Go' }).click();
  await expect(raw.getByLabel('Raw hex')).toContainText(/00000430 {2}(?:[0-9a-f]{2} ){8}53 ef/);
  await raw.getByRole('textbox', { name: 'Offset' }).fill('nonsense');
  await raw.getByRole('button', { name: 'Go' }).click();
  await expect(raw).toContainText('Give an offset below');
  await shot(page, '01b-raw-hex');
  await raw.getByRole('button', { name: 'Close raw view' }).click();

  const listing = page.getByRole('table', { name: 'Directory listing' });
  await expect(listing.getByRole('columnheader', { name: 'Modified (Europe/Berlin)' })).toBeVisible();
  await listing.getByRole('button', { name: /home/ }).click();
  await listing.getByRole('button', { name: /dana/ }).click();
  // The symlink shows its target and is not followed.
  await expect(listing.getByRole('row').filter({ hasText: 'latest' })).toContainText('→ reports/ledger.txt');
  await shot(page, '02-listing');
  await listing.getByRole('button', { name: /reports/ }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumbs' })).toContainText('/home/dana/reports');
  await listing.getByRole('button', { name: 'ledger.txt' }).click();

  const detail = page.getByRole('complementary', { name: 'ledger.txt' });
  const firstBytes = Buffer.from(TEXT.slice(0, 16)).toString('hex').match(/../g)!.join(' ');
  await expect(detail.getByLabel('Hex view')).toContainText(`00000000  ${firstBytes}`);
  await expect(detail.getByText('/home/dana/reports/ledger.txt')).toBeVisible();
  const inode = Number(await detail.locator('dt:has-text("Inode") + dd').textContent());
  expect(inode).toBeGreaterThan(10);
  await detail.getByLabel('Hex view').scrollIntoViewIfNeeded();
  await shot(page, '03-hex');
  await detail.getByRole('button', { name: 'Text' }).click();
  await expect(detail.getByLabel('Text preview')).toContainText('Quarterly ledger export');
  await detail.getByRole('button', { name: 'Hash file' }).click();
  const expected = execSync(`icat -o ${P1_SECTOR} ${JSON.stringify(disk)} ${inode} | sha256sum`).toString().split(' ')[0]!;
  await expect(detail.getByText(expected)).toBeVisible();
  await shot(page, '04-text-hash');

  await detail.getByRole('button', { name: 'Export as evidence' }).click();
  await expect(detail.getByRole('status')).toContainText('Export started');
  await page.getByRole('tab', { name: 'Artifacts' }).click();
  const exportedRow = page.getByRole('row').filter({ hasText: 'ledger.txt' });
  await expect(exportedRow.getByText('complete')).toBeVisible({ timeout: 60_000 });
  await exportedRow.click();
  const artifactDetail = page.getByRole('complementary', { name: 'ledger.txt' });
  await expect(artifactDetail.getByText(expected)).toBeVisible();
  await expect(artifactDetail.getByText(/^image:/)).toBeVisible();
  await shot(page, '05-exported');
  expect(problems).toEqual([]);
});
