/**
 * The Electron door, end to end: the real binary, the built app, a fresh user-data folder.
 * Runs wherever the Electron binary and an Electron build of better-sqlite3 exist; skips, saying why, elsewhere.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const entry = path.join(root, 'dist', 'main', 'electron.cjs');

/** The binary `require('electron')` would return, found without triggering Electron's download-on-require. */
function electronBinary(): { path: string; version: string } {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const pathFile = path.join(dir, 'path.txt');
  const fallback = { win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' }[process.platform as string];
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (fallback ?? 'electron');
  return { path: path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist'), exe), version };
}

/** An Electron-ABI better-sqlite3: from the environment, or the one `npm start` prepared in .electron-native/. */
function sqliteBinding(electronVersion: string): string | null {
  if (process.env.CASEWARD_SQLITE_BINDING) return process.env.CASEWARD_SQLITE_BINDING;
  const native = path.join(root, '.electron-native');
  if (!existsSync(native)) return null;
  const suffix = `-electron-${electronVersion}-${process.platform}-${process.arch}`;
  for (const name of readdirSync(native)) {
    const file = path.join(native, name, 'build', 'Release', 'better_sqlite3.node');
    if (name.startsWith('better-sqlite3-') && name.endsWith(suffix) && existsSync(file)) return file;
  }
  return null;
}

const binary = electronBinary();
const binding = sqliteBinding(binary.version);
const skipReason = !existsSync(binary.path)
  ? `the Electron ${binary.version} binary is not installed (${binary.path}); run \`npx install-electron\` where github.com is reachable`
  : !existsSync(entry)
    ? 'dist/main/electron.cjs is missing; run `npm run build` first'
    : !binding
      ? 'no Electron build of better-sqlite3; run `npm start` once (it prepares .electron-native/) or set CASEWARD_SQLITE_BINDING'
      : null;
if (skipReason) console.log(`[electron e2e] SKIPPED: ${skipReason}`);

test.describe('Electron door', () => {
  test.skip(skipReason !== null, `Electron e2e skipped: ${skipReason ?? ''}`);

  test('loads the renderer on app://caseward/ with only window.caseward exposed', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'caseward-e2e-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [entry],
      env: {
        ...(process.env as Record<string, string>),
        CASEWARD_USER_DATA: userData,
        CASEWARD_CASES_DIR: path.join(userData, 'cases'),
        CASEWARD_SQLITE_BINDING: binding ?? '',
      },
    });
    try {
      const win = await app.firstWindow();
      await win.waitForLoadState('domcontentloaded');
      await expect(win).toHaveTitle(/Caseward/);
      expect(win.url()).toMatch(/^app:\/\/caseward\//);

      const probe = await win.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        const bridge = w.caseward as Record<string, unknown> | undefined;
        return {
          caseward: typeof bridge,
          keys: bridge ? Object.keys(bridge).sort() : [],
          require: typeof w.require,
          process: typeof w.process,
          module: typeof w.module,
          Buffer: typeof w.Buffer,
        };
      });
      expect(probe).toEqual({
        caseward: 'object',
        keys: ['api', 'onEvent', 'pickFile', 'pickFolder'],
        require: 'undefined',
        process: 'undefined',
        module: 'undefined',
        Buffer: 'undefined',
      });

      // A real round trip through preload, the sender check and the app.
      const info = await win.evaluate(async () => {
        const api = (window as unknown as { caseward: { api: { app: { info: (i: object) => Promise<unknown> } } } })
          .caseward.api;
        return api.app.info({});
      });
      expect(info).toMatchObject({ ok: true });

      // New windows are denied (window.open returns null) and the page is served with our CSP.
      const opened = await win.evaluate(() => window.open('https://example.com/') === null);
      expect(opened).toBe(true);
      const csp = await win.evaluate(async () => (await fetch('app://caseward/index.html')).headers.get('content-security-policy'));
      expect(csp).toContain("default-src 'none'");
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
