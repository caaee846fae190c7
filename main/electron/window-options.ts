/**
 * The one place the main window's options live. Type-only import of electron so a unit test can
 * assert every security setting under plain Node.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Options for Caseward's main window, loading the given preload script. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Caseward',
    // Shown on 'ready-to-show' so the examiner never sees an empty white frame.
    show: false,
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: preloadPath,
      // Checklist "Enable context isolation": the preload's privileges stay out of page scripts.
      contextIsolation: true,
      // Checklist "Enable process sandboxing": Chromium's OS sandbox; the preload can require only 'electron'.
      sandbox: true,
      // Checklist "Do not enable Node.js integration": not in the page, its frames or its workers.
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      // Checklist "Verify WebView options before creation": we need no <webview>, so none can exist.
      webviewTag: false,
      // Checklists "Do not disable webSecurity" and "Do not enable allowRunningInsecureContent".
      webSecurity: true,
      allowRunningInsecureContent: false,
      // Checklist "Do not enable experimental features".
      experimentalFeatures: false,
      // Dropping a file on the window must not navigate away from the case (will-navigate is denied too).
      navigateOnDragDrop: false,
      // On Linux spellcheck downloads Hunspell dictionaries from a Google CDN; an offline workstation makes no such calls.
      spellcheck: false,
      safeDialogs: true,
    },
  };
}
