import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const outdir = mkdtempSync(path.join(os.tmpdir(), 'caseward-build-'));
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module name a CJS bundle requires at run time. */
function requiresOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  return [...new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ''))].sort();
}

let build: ReturnType<typeof spawnSync>;
beforeAll(() => {
  // Into a temp folder, so the test neither needs nor disturbs dist/ of a build in progress.
  build = spawnSync(process.execPath, ['scripts/build-main.mjs', '--outdir', outdir, 'preload', 'electron'], {
    cwd: root,
    encoding: 'utf8',
  });
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('scripts/build-main.mjs', () => {
  it('builds the Electron entries and says so in one line', () => {
    expect(build.stderr, String(build.stderr)).toBe('');
    expect(build.status).toBe(0);
    expect(String(build.stdout).trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(outdir, 'electron.cjs'))).toBe(true);
    expect(existsSync(path.join(outdir, 'preload.cjs.map'))).toBe(true);
  });

  it('bundles the preload so it requires nothing but electron (the sandbox allows nothing else)', () => {
    expect(requiresOf(path.join(outdir, 'preload.cjs'))).toEqual(['electron']);
    expect(readFileSync(path.join(outdir, 'preload.cjs'), 'utf8')).not.toMatch(/import\.meta|\bimport\(\s*["'`]/);
  });

  it('leaves only electron, the native/data-reading packages and Node built-ins external in main', () => {
    const file = path.join(outdir, 'electron.cjs');
    const external = requiresOf(file).filter((name) => !builtins.has(name));
    // The AWS SDK looks for SigV4a (multi-region access points, unused by Caseward) in a try/catch;
    // those packages are absent by design and the require stays unresolved in the bundle.
    const optionalSdk = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];
    expect(external.filter((n) => !['electron', 'better-sqlite3', 'pdfkit', ...optionalSdk].includes(n))).toEqual([]);
    expect(external).toContain('electron');
    const code = readFileSync(file, 'utf8');
    // import.meta.url is rewritten to the bundle's own file URL; none is left for CJS to choke on.
    expect(code).not.toMatch(/import\.meta\b/);
    expect(code).toContain("const import_meta_url = require('url').pathToFileURL(__filename).href;");
  });

  it('rejects an unknown entry name', () => {
    const args = ['scripts/build-main.mjs', '--outdir', outdir, 'nope'];
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown entry nope');
  });
});
