/**
 * Text preview with encoding detection in Debian's Chromium: a bare ext4 image (mkfs.ext4 -d) holds a UTF-16LE
 * file with a BOM and a Windows-1252 file; the preview decodes each and names the encoding it used.
 * Screenshot: test-output/screenshots/image-text-encoding.png.
 */
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { addEvidence, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const missing = spawnSync('sh', ['-c', 'command -v mkfs.ext4']).status !== 0;
const WINDOWS_TEXT = 'Grüße aus Köln, Preis 10 €\r\n';

let tmp: string;
let host: HostProcess | undefined;
let img: string;

test.beforeAll(async () => {
  if (missing) return;
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-text-'));
  const src = path.join(tmp, 'tree');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'hosts-utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('127.0.0.1 localhost\r\nÜberwachung\r\n', 'utf16le')]));
  // Windows-1252 by hand: ü ß ö are Latin-1, € is 0x80.
  fs.writeFileSync(path.join(src, 'note-1252.txt'), Buffer.from([...WINDOWS_TEXT].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0)))));
  img = path.join(tmp, 'bare.ext4');
  execFileSync('truncate', ['-s', '8M', img]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-d', src, img], { stdio: 'pipe' });
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(() => tearDown({ host, tmp }));

test('the text preview names the encoding it decoded with', async ({ page }) => {
  if (missing) console.warn('image text e2e skipped: mkfs.ext4 not installed');
  test.skip(missing, 'needs mkfs.ext4');
  const problems = watchProblems(page, { console: false });

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-071', title: 'Text encodings' });
  const row = await addEvidence(page, img, 'in-place');
  await row.click();
  await page.getByRole('button', { name: 'Open image' }).click();

  const listing = page.getByRole('table', { name: 'Directory listing' });
  await listing.getByRole('button', { name: 'hosts-utf16.txt' }).click();
  const utf16 = page.getByRole('complementary', { name: 'hosts-utf16.txt' });
  await utf16.getByRole('button', { name: 'Text' }).click();
  await expect(utf16.getByLabel('Text encoding')).toHaveText('Encoding: UTF-16LE (BOM)');
  await expect(utf16.getByLabel('Text preview')).toContainText('127.0.0.1 localhost');
  await expect(utf16.getByLabel('Text preview')).toContainText('Überwachung');
  await screenshotter('image-text-')(page, 'encoding');

  await listing.getByRole('button', { name: 'note-1252.txt' }).click();
  const cp1252 = page.getByRole('complementary', { name: 'note-1252.txt' });
  await cp1252.getByRole('button', { name: 'Text' }).click();
  await expect(cp1252.getByLabel('Text encoding')).toHaveText('Encoding: Windows-1252 (fallback)');
  await expect(cp1252.getByLabel('Text preview')).toContainText('Grüße aus Köln, Preis 10 €');
  expect(problems).toEqual([]);
});
