import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, hardenApp, hardenWebContents, isAllowedExternalUrl } from '../../main/electron/security.js';

type OpenHandler = (details: { url: string }) => { action: string };

/** An EventEmitter standing in for WebContents: Electron's events carry an Event with preventDefault. */
class FakeContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(fn: OpenHandler): void {
    this.openHandler = fn;
  }
  fire(name: string, ...args: unknown[]): { prevented: boolean } {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    this.emit(name, event, ...args);
    return event;
  }
}

function harden() {
  const contents = new FakeContents();
  const openExternal = vi.fn(async (_url: string) => undefined);
  hardenWebContents(contents as never, { openExternal });
  return { contents, openExternal };
}

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-accessing-snapshot.html',
    'https://eu-west-1.console.aws.amazon.com/ec2/home',
    'https://console.aws.amazon.com/',
  ])('allows %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'http://docs.aws.amazon.com/',
    'https://docs.aws.amazon.com.evil.example/',
    'https://evilconsole.aws.amazon.com/',
    'https://user:pw@docs.aws.amazon.com/',
    'https://docs.aws.amazon.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://fileserver/share',
    'app://caseward/index.html',
    'not a url',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));
});

describe('hardenWebContents', () => {
  it('prevents every navigation, even to our own origin', () => {
    const { contents, openExternal } = harden();
    expect(contents.fire('will-navigate', 'app://caseward/other.html').prevented).toBe(true);
    expect(contents.fire('will-navigate', 'https://evil.example/').prevented).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.example/').prevented).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('opens an allowlisted link from a navigation in the system browser instead', () => {
    const { contents, openExternal } = harden();
    contents.fire('will-navigate', 'https://docs.aws.amazon.com/x');
    expect(openExternal).toHaveBeenCalledWith('https://docs.aws.amazon.com/x');
  });

  it('denies every new window and opens only allowlisted https links externally', () => {
    const { contents, openExternal } = harden();
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: 'https://docs.aws.amazon.com/a' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://docs.aws.amazon.com/a']]);
  });

  it('blocks webview attachment', () => {
    const { contents } = harden();
    expect(contents.fire('will-attach-webview', {}, {}).prevented).toBe(true);
  });

  it('survives a failing openExternal (no unhandled rejection)', async () => {
    const contents = new FakeContents();
    const openExternal = vi.fn(async () => {
      throw new Error('no browser');
    });
    hardenWebContents(contents as never, { openExternal });
    contents.openHandler?.({ url: 'https://docs.aws.amazon.com/' });
    await new Promise((r) => setImmediate(r));
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('denyAllPermissions', () => {
  it('denies requests, checks and devices', () => {
    let request: ((wc: unknown, perm: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    let device: ((...args: unknown[]) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (fn: never) => (request = fn),
      setPermissionCheckHandler: (fn: never) => (check = fn),
      setDevicePermissionHandler: (fn: never) => (device = fn),
    } as never);
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fileSystem', 'openExternal']) {
      const cb = vi.fn();
      request?.({}, perm, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(check?.({}, perm, 'app://caseward', {})).toBe(false);
    }
    expect(device?.({})).toBe(false);
  });
});

describe('hardenApp', () => {
  it('hardens every webContents the app creates', () => {
    const app = new EventEmitter();
    hardenApp(app as never, { openExternal: async () => undefined });
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.fire('will-navigate', 'https://evil.example/').prevented).toBe(true);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});
