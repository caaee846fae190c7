// `npm test`: build once, then every test suite (vitest: unit + integration; Playwright: end to end),
// and a closing line that counts them all. Exit code 1 if any suite failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSuites = 0;

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedSuites++;
  return r.status === 0;
}

function addJson(file, kind) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (kind === 'vitest') {
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  } else {
    const s = report.stats ?? {};
    totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    totals.failed += s.unexpected ?? 0;
    totals.skipped += s.skipped ?? 0;
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-test-all-'));
if (!run('build', 'npm', ['run', 'build', '--silent'])) {
  console.log('\nThe build failed; tests were not run.\n0 passed, 1 failed');
  process.exit(1);
}
const vitestJson = path.join(tmp, 'vitest.json');
run('unit and integration tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
addJson(vitestJson, 'vitest');
const pwJson = path.join(tmp, 'playwright.json');
run('end-to-end tests (Playwright)', npx, ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
addJson(pwJson, 'playwright');
fs.rmSync(tmp, { recursive: true, force: true });

console.log(`\n${totals.passed} passed, ${totals.failed + (totals.failed === 0 ? failedSuites : 0)} failed, ${totals.skipped} skipped`);
process.exit(failedSuites > 0 || totals.failed > 0 ? 1 : 0);
