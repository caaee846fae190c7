/**
 * Keyboard use of the case view: tabs with arrow keys, the virtualised artifacts table with arrows,
 * End and focus that stays visible, and custody rows that expand with Enter.
 */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, root, startHostProcess, type HostProcess } from './browser-host.js';

const COUNT = 40;
let tmp: string;
let host: HostProcess | undefined;

test.beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-kbd-'));
});

test.afterAll(async () => {
  await host?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('an examiner can work the case view from the keyboard', async ({ page }) => {
  host = await startHostProcess(path.join(tmp, 'user-data'), path.join(tmp, 'cases'));
  await page.goto(host.url);
  await page.getByLabel('Full name').fill('Kim Lund');
  await page.getByLabel('Organisation').fill('Lund DFIR');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'New case…' }).click();
  await page.getByLabel('Case number').fill('K-1');
  await page.getByLabel('Title').fill('Keyboard walk');
  await page.keyboard.press('Enter');

  for (let i = 0; i < COUNT; i++) {
    const file = path.join(tmp, `item-${String(i).padStart(2, '0')}.log`);
    fs.writeFileSync(file, `evidence ${i}\n`);
    await page.getByRole('button', { name: 'Add evidence…' }).click();
    await page.getByLabel('Evidence file').fill(file);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog')).toHaveCount(0);
  }
  await expect(page.locator(".toolbar-note")).toContainText(`${COUNT} artifacts`);
  await expect(page.getByRole('region', { name: 'Jobs' }).getByText('none running')).toBeVisible();

  // Virtualised: far fewer rows in the DOM than artifacts in the case.
  const rendered = await page.locator('.artifacts-table tr.row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(COUNT);

  // Tab reaches a row (not the bare scroller); arrows and End move the selection and the focus.
  await page.getByRole('button', { name: 'Verify all' }).focus();
  await page.keyboard.press('Tab');
  const focusedRow = page.locator('.artifacts-table tr.row:focus');
  await expect(focusedRow).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(focusedRow).toContainText('item-00.log');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(focusedRow).toContainText('item-02.log');
  await expect(page.getByRole('complementary').getByRole('heading', { name: 'item-02.log' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(focusedRow).toContainText(`item-${COUNT - 1}.log`);
  await expect(focusedRow).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('complementary').getByRole('heading', { name: `item-${COUNT - 1}.log` })).toBeVisible();
  await page.screenshot({ path: path.join(root, 'test-output', 'screenshots', '16-keyboard-table.png') });

  // Tabs follow the arrow keys; a custody row expands with Enter.
  await page.getByRole('tab', { name: 'Artifacts' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Custody log' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Custody log' })).toHaveAttribute('aria-selected', 'true');
  const firstEvent = page.locator('.custody-table tr.row').first();
  await firstEvent.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Details of event 2', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByText('Event hash')).toBeVisible();
});
