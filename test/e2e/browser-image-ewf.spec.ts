/**
 * A segmented E01 of a GPT disk end to end in Debian's Chromium. Partition 1 is FAT12 with a nested file (mtools),
 * partition 2 is NTFS with alternate data streams (mkntfs + ntfscp); `ewfacquire` writes the disk as .E01, .E02…
 * The E01 is registered in place and opened: container metadata shows, "Verify container" records stored = computed
 * hashes, a nested file is viewed in hex, hashed and exported (SHA-256 = `icat -o <sector> disk.E01 <inode> |
 * sha256sum`), and a Zone.Identifier stream is viewed as text and exported (= `icat … INODE-128-ID`).
 * Screenshots: test-output/screenshots/image-ewf-*.png.
 */
import { expect, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import { execFileSync, execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildNtfsWithStreams, icatStream, ZONE_IDENTIFIER } from '../support/fs-ntfs-ads.js';
import { mkfsFat, mtools, pattern, putFile } from '../integration/fs-fat-build.js';
import { ensureBuilt, startHostProcess, type HostProcess } from './browser-host.js';
import { addEvidence, createCase, firstRun, screenshotter, tearDown, watchProblems } from './e2e-steps.js';

const FAT_SECTOR = 2048;
const NTFS_SECTOR = 18432;
const TOOLS = ['ewfacquire', 'sfdisk', 'mkntfs', 'ntfscp', 'mkfs.vfat', 'mmd', 'mcopy', 'icat', 'istat', 'fls'];
const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const LEDGER = Buffer.concat([Buffer.from('date,account,amount\n2026-03-01,4411,-12400.00\n'), pattern(20_000, 11)]);

let tmp: string;
let host: HostProcess | undefined;
let e01: string;

/** GPT disk (FAT12 + NTFS), acquired into 1 MiB uncompressed segments so there are several. */
function buildE01(dir: string): string {
  const fat = path.join(dir, 'p1.fat');
  mkfsFat(fat, 12, 8192, 'DATA');
  for (const d of ['/Users', '/Users/alice', '/Users/alice/Documents']) mtools('mmd', fat, [`::${d}`]);
  putFile(fat, dir, '/Users/alice/Documents/ledger.csv', LEDGER, new Date('2026-03-01T09:30:00Z'));
  const { img: ntfs } = buildNtfsWithStreams(dir, 'p2.ntfs');
  const disk = path.join(dir, 'disk.dd');
  execFileSync('truncate', ['-s', '20M', disk]);
  execSync(`sfdisk -q ${JSON.stringify(disk)}`, {
    input: `label: gpt\nstart=${FAT_SECTOR}, size=16384, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=data\nstart=${NTFS_SECTOR}, size=16384, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name=windows\n`,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  for (const [src, seek] of [[fat, FAT_SECTOR], [ntfs, NTFS_SECTOR]] as const) {
    execFileSync('dd', [`if=${src}`, `of=${disk}`, 'bs=512', `seek=${seek}`, 'conv=notrunc'], { stdio: 'pipe' });
    fs.rmSync(src);
  }
  const target = path.join(dir, 'disk');
  execFileSync('ewfacquire', ['-u', '-q', '-t', target, '-C', 'CW-EWF-7', '-D', 'finance laptop', '-e', 'Dana Whitfield', '-E', 'EV-12',
    '-N', 'made by playwright', '-d', 'sha1', '-c', 'deflate:none', '-S', '1048576', disk], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
  fs.rmSync(disk);
  return `${target}.E01`;
}

test.beforeAll(async () => {
  if (missing.length > 0) return;
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-ewf-'));
  e01 = buildE01(tmp);
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
});

test.afterAll(() => tearDown({ host, tmp }));

const shot = screenshotter('image-ewf-');

const icatSha = (sector: number, inode: string): string =>
  execSync(`icat -o ${sector} ${JSON.stringify(e01)} ${inode} | sha256sum`).toString().split(' ')[0]!;

test('segmented E01: metadata, verify, nested FAT file and an NTFS Zone.Identifier stream viewed and exported', async ({ page }) => {
  if (missing.length > 0) console.warn(`image-ewf e2e skipped: ${missing.join(', ')} not installed`);
  test.skip(missing.length > 0, `needs ${missing.join(', ')}`);
  expect(fs.existsSync(e01.replace(/E01$/, 'E02')), 'ewfacquire wrote more than one segment').toBe(true);
  const problems = watchProblems(page);

  await firstRun(page, host!.url);
  await createCase(page, { number: 'CW-2026-071', title: 'E01 of the finance laptop' });

  await addEvidence(page, e01, 'in-place');
  // The whole set is one artifact: the table counts the segments and the detail panel lists them
  // (its segment rows name disk.E01 too, so the artifact row is picked from the artifacts table).
  const row = page.locator('tr[data-row-index]').filter({ hasText: 'disk.E01' });
  const segmentCount = fs.readdirSync(path.dirname(e01)).filter((n) => /^disk\.E\d\d$/.test(n)).length;
  await expect(row).toContainText(`${segmentCount} segments`);
  await row.click();
  const segs = page.getByRole('table', { name: 'Segments' });
  await expect(segs.getByRole('row')).toHaveCount(segmentCount + 1);
  await expect(segs.getByRole('row').nth(2)).toContainText('disk.E02');
  await shot(page, '00-segments');
  await page.getByRole('button', { name: 'Open image' }).click();

  // Container metadata from the E01's header and hash sections.
  const overview = page.getByRole('region', { name: 'Image overview' });
  await expect(overview).toContainText('EWF (E01)');
  await expect(overview).toContainText('CW-EWF-7');
  await expect(overview).toContainText('Dana Whitfield');
  await expect(overview.locator('dt:has-text("Stored md5") + dd')).toHaveText(/^[0-9a-f]{32}$/);
  await expect(page.getByText('GPT · 512-byte sectors')).toBeVisible();
  const parts = page.getByRole('table', { name: 'Partitions' });
  await expect(parts.getByRole('row').nth(1)).toContainText(String(FAT_SECTOR));
  await expect(parts.getByRole('row').nth(2)).toContainText(String(NTFS_SECTOR));
  await expect(parts.getByRole('row').nth(2)).toContainText('“ADS”');
  await shot(page, '01-overview');

  await page.getByRole('button', { name: 'Verify container' }).click();
  await expect(page.getByRole('listitem', { name: /^Verify image: disk\.E01: succeeded$/ })).toBeVisible({ timeout: 60_000 });
  // The verdict is on screen, not only in custody: stored and computed MD5 side by side.
  const verdict = page.getByRole('region', { name: 'Container verification' });
  await expect(verdict).toContainText('The image matches the hashes stored in the container.');
  const storedMd5 = (await overview.locator('dt:has-text("Stored md5") + dd').textContent())!.trim();
  await expect(verdict).toContainText(`${storedMd5} / ${storedMd5}`);

  // Partition 1 (FAT, chosen first): a nested file, hex view, hash and export.
  const listing = page.getByRole('table', { name: 'Directory listing' });
  await listing.getByRole('button', { name: 'Users/' }).click();
  await listing.getByRole('button', { name: 'alice/' }).click();
  await listing.getByRole('button', { name: 'Documents/' }).click();
  await expect(page.getByRole('navigation', { name: 'Breadcrumbs' })).toContainText('/Users/alice/Documents');
  await listing.getByRole('button', { name: 'ledger.csv' }).click();
  const ledger = page.getByRole('complementary', { name: 'ledger.csv' });
  const firstBytes = LEDGER.subarray(0, 16).toString('hex').match(/../g)!.join(' ');
  await expect(ledger.getByLabel('Hex view')).toContainText(`00000000  ${firstBytes}`);
  const fatInode = (await ledger.locator('dt:has-text("Inode") + dd').textContent())!.trim();
  const ledgerSha = icatSha(FAT_SECTOR, fatInode);
  expect(ledgerSha).toBe(createHash('sha256').update(LEDGER).digest('hex'));
  await ledger.getByRole('button', { name: 'Hash file' }).click();
  await expect(ledger.getByText(ledgerSha)).toBeVisible();
  await shot(page, '02-nested-hex');
  await ledger.getByRole('button', { name: 'Export as evidence' }).click();
  await expect(ledger.getByRole('status')).toContainText('Export started');

  // Partition 2 (NTFS): a file with alternate data streams.
  const fsSelect = page.getByLabel('File system');
  await fsSelect.selectOption((await fsSelect.locator('option', { hasText: 'partition 2' }).getAttribute('value'))!);
  await listing.getByRole('button', { name: 'tool.exe' }).click();
  const tool = page.getByRole('complementary', { name: 'tool.exe' });
  const streams = tool.getByRole('table', { name: 'Alternate data streams' });
  await expect(streams.getByRole('row').filter({ hasText: 'Zone.Identifier' })).toContainText(String(ZONE_IDENTIFIER.length));
  await expect(streams.getByRole('row').filter({ hasText: 'payload' })).toContainText('150,000');
  await tool.getByRole('button', { name: 'View stream Zone.Identifier' }).click();
  const zone = tool.getByRole('region', { name: 'Stream Zone.Identifier' });
  await expect(zone.getByLabel('Hex view')).toContainText('[ZoneTransfer]');
  await zone.getByRole('button', { name: 'Text' }).click();
  await expect(zone.getByLabel('Text preview')).toContainText('ZoneId=3');
  await zone.getByRole('button', { name: 'Hash stream' }).click();
  const ntfsInode = Number((await tool.locator('dt:has-text("Inode") + dd').textContent())!.trim());
  const zoneSha = createHash('sha256').update(icatStream(e01, ntfsInode, 'Zone.Identifier', NTFS_SECTOR)).digest('hex');
  expect(zoneSha).toBe(createHash('sha256').update(ZONE_IDENTIFIER).digest('hex'));
  await expect(zone.getByText(zoneSha)).toBeVisible();
  await zone.getByLabel('Text preview').scrollIntoViewIfNeeded();
  await shot(page, '03-stream-text');
  await zone.getByRole('button', { name: 'Export stream as evidence' }).click();
  await expect(zone.getByRole('status')).toContainText('Export started');

  // Both exports are artifacts whose hashes equal The Sleuth Kit's reading of the E01.
  await page.getByRole('tab', { name: 'Artifacts' }).click();
  for (const [name, sha] of [['ledger.csv', ledgerSha], ['tool.exe_Zone.Identifier', zoneSha]] as const) {
    const exported = page.getByRole('row').filter({ hasText: name });
    await expect(exported.getByText('complete')).toBeVisible({ timeout: 60_000 });
    await exported.click();
    const detail = page.getByRole('complementary', { name });
    await expect(detail.getByText(sha)).toBeVisible();
  }
  await expect(page.getByRole('complementary', { name: 'tool.exe_Zone.Identifier' }).getByText(/tool\.exe:Zone\.Identifier$/)).toBeVisible();
  await shot(page, '04-exported-stream');

  // The verification's custody event: stored and computed hashes agree.
  await page.getByRole('tab', { name: 'Custody log' }).click();
  const verified = page.getByRole('row').filter({ hasText: 'image.verified' });
  await verified.getByRole('button', { name: /Details of event/ }).click();
  const json = page.locator('pre.json').filter({ hasText: '"container": "ewf"' });
  await expect(json).toContainText('"result": "match"');
  await expect(json).toContainText('"md5Matches": true');
  await expect(json).toContainText('"sha1Matches": true');
  await json.scrollIntoViewIfNeeded();
  await shot(page, '05-verified');
  expect(problems).toEqual([]);
});
