/**
 * Runs the real bundle dist/main/electron.cjs under Node with a recording stand-in for 'electron', so the
 * wiring in main.ts (user data, scheme before ready, lock, window, IPC, orderly quit) is checked where no
 * Electron binary exists. The CasewardApp behind it is the real one, on a temp user-data folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../shared/contract.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'caseward-electron-main-'));
const outdir = path.join(tmp, 'dist', 'main');

// A minimal Electron: records calls, plays 'ready', a renderer call through IPC, then closing the window.
const fakeElectron = String.raw`
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const log = [];
const handlers = new Map();
let readyResolve;
const ready = new Promise((r) => (readyResolve = r));
const app = new EventEmitter();
let quitting = 0;
Object.assign(app, {
  setPath: (name, value) => log.push({ call: 'app.setPath', name, value }),
  getPath: (name) => (name === 'userData' ? process.env.CASEWARD_USER_DATA : require('node:os').tmpdir()),
  requestSingleInstanceLock: () => { log.push({ call: 'lock', readyYet: readyFired }); return true; },
  whenReady: () => ready,
  quit: () => {
    log.push({ call: 'app.quit' });
    if (++quitting > 5) throw new Error('quit loop');
    const ev = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('will-quit', ev);
    if (!ev.defaultPrevented) finish(0);
  },
  exit: (code) => { log.push({ call: 'app.exit', code }); finish(code); },
});
let readyFired = false;
const protocol = {
  registerSchemesAsPrivileged: (schemes) => log.push({ call: 'registerSchemesAsPrivileged', schemes, readyYet: readyFired }),
  handle: (scheme) => log.push({ call: 'protocol.handle', scheme, readyYet: readyFired }),
};
const permissions = [];
const session = { defaultSession: {
  setPermissionRequestHandler: (fn) => permissions.push('request'),
  setPermissionCheckHandler: (fn) => permissions.push('check'),
  setDevicePermissionHandler: (fn) => permissions.push('device'),
} };
class WebContents extends EventEmitter {
  constructor() { super(); this.mainFrame = { url: '', processId: 7, routingId: 1, parent: null }; this.sent = []; }
  setWindowOpenHandler(fn) { this.openHandler = fn; }
  send(channel, payload) { this.sent.push(channel); }
  isDestroyed() { return false; }
}
const windows = [];
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new WebContents();
    app.emit('web-contents-created', {}, this.webContents);
    windows.push(this);
  }
  loadURL(url) { this.webContents.mainFrame.url = url; log.push({ call: 'loadURL', url }); return Promise.resolve(); }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  show() {}
  focus() {}
}
const ipcMain = { handle: (c, fn) => handlers.set(c, fn), removeHandler: (c) => handlers.delete(c) };
const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: (t, m) => log.push({ call: 'showErrorBox', t, m }) };
const shell = { openExternal: async () => undefined };

function finish(code) {
  const w = windows[0];
  fs.writeFileSync(process.env.FAKE_ELECTRON_REPORT, JSON.stringify({
    log, permissions,
    handlersLeft: [...handlers.keys()],
    window: w && { options: w.options, hasNavigateGuard: w.webContents.listenerCount('will-navigate') > 0, hasOpenHandler: !!w.webContents.openHandler },
  }));
  process.exit(code);
}

setImmediate(async () => {
  readyFired = true;
  readyResolve();
  await new Promise((r) => setTimeout(r, 50));
  const w = windows[0];
  if (!w) return finish(3);
  log.push({ call: 'handlers', names: [...handlers.keys()] });
  const trusted = { senderFrame: w.webContents.mainFrame };
  log.push({ call: 'ipc', channel: 'app.info', result: await handlers.get('app.info')(trusted, {}) });
  const forged = { senderFrame: { url: 'https://evil.example/', processId: 7, routingId: 1, parent: null } };
  log.push({ call: 'ipc', channel: 'settings.getProfile', result: await handlers.get('settings.getProfile')(forged, {}) });
  w.emit('closed');
  app.emit('window-all-closed');
});

module.exports = { app, protocol, session, BrowserWindow, ipcMain, dialog, shell };
`;

// Resolves require('electron') to the stand-in; the real package would try to download its binary.
const hook = String.raw`
const Module = require('node:module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return process.env.FAKE_ELECTRON_PATH;
  return original.call(this, request, ...rest);
};
`;

interface Report {
  log: Array<Record<string, unknown> & { call: string }>;
  permissions: string[];
  handlersLeft: string[];
  window?: { options: { webPreferences: Record<string, unknown> }; hasNavigateGuard: boolean; hasOpenHandler: boolean };
}
let report: Report;
let run: ReturnType<typeof spawnSync>;

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-main.mjs', '--outdir', outdir, 'electron', 'preload'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  writeFileSync(path.join(tmp, 'fake-electron.cjs'), fakeElectron);
  writeFileSync(path.join(tmp, 'hook.cjs'), hook);
  const userData = path.join(tmp, 'user-data');
  run = spawnSync(process.execPath, ['--require', path.join(tmp, 'hook.cjs'), path.join(outdir, 'electron.cjs')], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      // The bundle lives in a temp folder; its externals (better-sqlite3, pdfkit) come from the project.
      NODE_PATH: path.join(root, 'node_modules'),
      CASEWARD_USER_DATA: userData,
      CASEWARD_CASES_DIR: path.join(tmp, 'cases'),
      FAKE_ELECTRON_PATH: path.join(tmp, 'fake-electron.cjs'),
      FAKE_ELECTRON_REPORT: path.join(tmp, 'report.json'),
    },
  });
  const reportFile = path.join(tmp, 'report.json');
  if (!existsSync(reportFile)) throw new Error(`no report (exit ${run.status}): ${run.stderr}\n${run.stdout}`);
  report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const calls = (name: string) => report.log.filter((e) => e.call === name);

describe('dist/main/electron.cjs under a stand-in Electron', () => {
  it('exits cleanly', () => {
    expect(run.status, `${run.stderr}`).toBe(0);
  });

  it('points userData at CASEWARD_USER_DATA and registers app:// before ready', () => {
    expect(calls('app.setPath')).toEqual([{ call: 'app.setPath', name: 'userData', value: path.join(tmp, 'user-data') }]);
    expect(calls('registerSchemesAsPrivileged')[0]?.readyYet).toBe(false);
    expect(calls('lock')[0]?.readyYet).toBe(false);
    expect(calls('protocol.handle')).toEqual([{ call: 'protocol.handle', scheme: 'app', readyYet: true }]);
    expect(report.permissions).toEqual(['request', 'check', 'device']);
  });

  it('opens one hardened window on app://caseward/ with the built preload', () => {
    expect(calls('loadURL')).toEqual([{ call: 'loadURL', url: 'app://caseward/index.html' }]);
    const prefs = report.window?.options.webPreferences ?? {};
    expect(prefs.preload).toBe(path.join(outdir, 'preload.cjs'));
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(report.window?.hasNavigateGuard).toBe(true);
    expect(report.window?.hasOpenHandler).toBe(true);
  });

  it('binds every channel and serves the trusted frame, refusing a forged one', () => {
    const names = (calls('handlers')[0]?.names ?? []) as string[];
    for (const channel of channelNames) expect(names).toContain(channel);
    const [info, forged] = calls('ipc') as unknown as Array<{ result: { ok: boolean; error?: { code: string } } }>;
    expect(info?.result.ok).toBe(true);
    expect(forged?.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('closes the app before quitting, then quits for real, leaving no handlers', () => {
    expect(calls('app.quit').length).toBe(2);
    expect(report.handlersLeft).toEqual([]);
    expect(calls('showErrorBox')).toEqual([]);
  });
});
