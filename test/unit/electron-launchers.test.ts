import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'caseward-launchers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('scripts/electron-start.mjs without an Electron binary', () => {
  it('explains what is missing and how to get it, and exits 1 without spawning anything', () => {
    const emptyDist = path.join(tmp, 'no-electron');
    mkdirSync(emptyDist);
    const r = spawnSync(process.execPath, ['scripts/electron-start.mjs'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      // Electron's own override variable: point it at an empty folder so the test means the same on machines that have the binary.
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: emptyDist },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('binary is not installed');
    expect(r.stderr).toContain(emptyDist);
    expect(r.stderr).toContain('npx install-electron');
    expect(r.stderr).toContain('npm run serve');
    expect(r.stdout).not.toContain('better-sqlite3'); // did not start preparing the native module
  });
});

describe('bin/caseward.cjs without a build', () => {
  it('tells the examiner to run npm run build and exits 1', () => {
    const bin = path.join(tmp, 'pkg', 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(path.join(root, 'bin', 'caseward.cjs'), path.join(bin, 'caseward.cjs'));
    const r = spawnSync(process.execPath, [path.join(bin, 'caseward.cjs'), '--help'], { encoding: 'utf8', cwd: tmp });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm run build');
    expect(r.stderr).toContain('cli.cjs');
  });
});
