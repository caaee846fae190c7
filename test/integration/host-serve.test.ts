import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServeOptions } from '../../main/host/serve-options.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const bundle = path.join(root, 'dist', 'main', 'serve.cjs');
const rendererBuilt = fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'));

describe('serve options', () => {
  it('defaults to a random port and dist/renderer next to the bundle', () => {
    const o = parseServeOptions([], { CASEWARD_USER_DATA: '/tmp/ud' }, '/app/dist/main');
    expect(o).toEqual({ port: 0, userDataDir: '/tmp/ud', casesDir: undefined, staticDir: '/app/dist/renderer' });
  });

  it('reads flags before the environment', () => {
    const o = parseServeOptions(['--port', '8123', '--user-data', '/a', '--cases-dir', '/c'], { CASEWARD_PORT: '9000', CASEWARD_CASES_DIR: '/env' }, '/x');
    expect(o).toMatchObject({ port: 8123, userDataDir: '/a', casesDir: '/c' });
    expect(parseServeOptions([], { CASEWARD_PORT: '9000', CASEWARD_CASES_DIR: '/env', CASEWARD_USER_DATA: '/u' }, '/x')).toMatchObject({ port: 9000, casesDir: '/env' });
  });

  it('refuses a bad port or an unknown flag with a readable message', () => {
    expect(() => parseServeOptions(['--port', 'http'], {}, '/x')).toThrow(/--port must be a number/);
    expect(() => parseServeOptions(['--port', '70000'], {}, '/x')).toThrow(/--port/);
    expect(() => parseServeOptions(['--host', '0.0.0.0'], {}, '/x')).toThrow(/Unknown option/);
    expect(parseServeOptions(['--help'], {}, '/x')).toBe('help');
  });
});

describe('serve process', () => {
  const missing = !fs.existsSync(bundle) || !rendererBuilt;
  if (missing) console.warn('dist/main/serve.cjs or dist/renderer is not built (npm run build): the process test is skipped');

  it.skipIf(missing)('prints one loopback URL with a token, says it is loopback-only, and exits 0 on SIGTERM', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-serve-'));
    try {
      const child = spawn(process.execPath, [bundle, '--user-data', path.join(tmp, 'ud'), '--cases-dir', path.join(tmp, 'cases')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      await expect.poll(() => out, { timeout: 20_000 }).toMatch(/loopback/);
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^Caseward is ready: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
      expect(lines[1]).toMatch(/127\.0\.0\.1 only/);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
