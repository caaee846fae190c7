/** Picks the door: Electron's preload object when present, else the browser host over HTTP. */
import type { Bridge } from '../../../shared/bridge.js';
import { createBrowserBridge, takeSessionToken, type BrowserBridge } from './browser-bridge.js';

declare global {
  interface Window {
    /** Set by the Electron preload through contextBridge; absent in a plain browser. */
    caseward?: Bridge;
  }
}

/** The bridge for this page; the renderer never needs to know which door it came through. */
export function selectBridge(): Bridge | BrowserBridge {
  if (window.caseward) return window.caseward;
  let storage: Storage | null;
  try {
    storage = window.sessionStorage;
  } catch {
    // Storage access can throw when the browser blocks it; the token then lives in memory only.
    storage = null;
  }
  const token = takeSessionToken(window.location, window.history, storage);
  return createBrowserBridge({
    token,
    fetch: window.fetch.bind(window),
    EventSource: window.EventSource,
  });
}
