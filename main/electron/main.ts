/**
 * Electron entry (bundled to dist/main/electron.cjs): one instance, one window, the renderer on
 * app://caseward/, every contract channel bound over IPC to the same CasewardApp the other doors use.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp, type CasewardApp } from '../app.js';
import { defaultUserDataDir } from '../core/workstation/paths.js';
import { APP_INDEX_URL, registerAppScheme, serveRenderer } from './app-protocol.js';
import { bindIpc } from './ipc.js';
import { denyAllPermissions, hardenApp } from './security.js';
import { mainWindowOptions } from './window-options.js';

// This file only ever runs as the CJS bundle in dist/main, so __dirname is that folder
// (inside app.asar when packaged); the preload and the renderer are built next to it.
const bundleDir = __dirname;
const preloadPath = path.join(bundleDir, 'preload.cjs');
const rendererRoot = path.join(bundleDir, '..', 'renderer');

// Same folder for every door (CLI, browser host, Electron), and CASEWARD_USER_DATA gives tests a fresh one.
// Set before anything else: the single-instance lock lives in userData.
app.setPath('userData', defaultUserDataDir());

// Both must happen before 'ready'.
registerAppScheme(protocol);
hardenApp(app, { openExternal: (url) => shell.openExternal(url) });

if (!app.requestSingleInstanceLock()) {
  // Another Caseward owns this user-data folder (and its open cases); it gets focus instead.
  app.quit();
} else {
  start();
}

function start(): void {
  let window: BrowserWindow | null = null;
  let caseward: CasewardApp | null = null;
  let unbindIpc: () => void = () => undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app
    .whenReady()
    .then(() => {
      serveRenderer(protocol, rendererRoot);
      denyAllPermissions(session.defaultSession);
      if (!existsSync(path.join(rendererRoot, 'index.html'))) {
        console.error(`Caseward: ${rendererRoot}/index.html is missing; run \`npm run build\` first.`);
      }
      caseward = createApp({ userDataDir: app.getPath('userData'), door: 'electron', nativeDialogs: true });
      unbindIpc = bindIpc({
        ipcMain,
        app: caseward,
        getWindow: () => window,
        showOpenDialog: (parent, options) => dialog.showOpenDialog(parent, options),
      });
      window = createWindow();
      window.on('closed', () => {
        window = null;
      });
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('Caseward could not start', message);
      app.exit(1);
    });

  // An examiner's workstation app: closing the window ends the session on every platform,
  // so open cases are closed and running jobs marked interrupted rather than left behind a dock icon.
  app.on('window-all-closed', () => app.quit());

  let closing = false;
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !caseward) return;
    // Hold the quit until jobs are stopped and case databases closed cleanly, then quit for real.
    event.preventDefault();
    if (closing) return;
    closing = true;
    unbindIpc();
    caseward
      .close()
      .catch((err: unknown) => console.error('Caseward: error while closing:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_INDEX_URL);
  return win;
}
