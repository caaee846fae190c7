import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../main/electron/window-options.js';

describe('mainWindowOptions', () => {
  const options = mainWindowOptions('/opt/caseward/dist/main/preload.cjs');
  const web = options.webPreferences ?? {};

  it('uses the given preload', () => {
    expect(web.preload).toBe('/opt/caseward/dist/main/preload.cjs');
  });

  it('sets every option of the Electron security checklist explicitly', () => {
    // Explicit values, not defaults: a future Electron default change must not weaken the window.
    expect(web).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    for (const key of ['contextIsolation', 'sandbox', 'nodeIntegration', 'webviewTag', 'webSecurity'] as const) {
      expect(Object.prototype.hasOwnProperty.call(web, key), `${key} must be set explicitly`).toBe(true);
    }
  });

  it('never enables Blink features or turns off the same-origin policy by another name', () => {
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web).not.toHaveProperty('additionalArguments');
    expect(web).not.toHaveProperty('partition');
  });

  it('opens at 1280x800 with a usable minimum size, hidden until ready', () => {
    expect(options.width).toBe(1280);
    expect(options.height).toBe(800);
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.minHeight).toBeGreaterThanOrEqual(500);
    expect(options.minWidth).toBeLessThanOrEqual(1280);
    expect(options.minHeight).toBeLessThanOrEqual(800);
    expect(options.show).toBe(false);
  });

  it('returns a fresh object each call, so one window cannot alter the next', () => {
    const a = mainWindowOptions('a');
    const b = mainWindowOptions('b');
    expect(a).not.toBe(b);
    expect(a.webPreferences).not.toBe(b.webPreferences);
  });
});
