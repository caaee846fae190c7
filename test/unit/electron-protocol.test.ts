import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL,
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  registerAppScheme,
  resolveAppUrl,
} from '../../main/electron/app-protocol.js';

describe('resolveAppUrl', () => {
  const root = path.resolve('/srv/renderer');

  it('maps app://caseward/ paths into the renderer folder', () => {
    expect(resolveAppUrl(root, APP_INDEX_URL)).toEqual({ kind: 'file', file: path.join(root, 'index.html') });
    expect(resolveAppUrl(root, 'app://caseward/')).toEqual({ kind: 'file', file: path.join(root, 'index.html') });
    expect(resolveAppUrl(root, 'app://caseward/assets/index-abc.js?v=1#x')).toEqual({
      kind: 'file',
      file: path.join(root, 'assets', 'index-abc.js'),
    });
  });

  it('serves index.html for client routes without an extension', () => {
    expect(resolveAppUrl(root, 'app://caseward/cases/42')).toEqual({ kind: 'file', file: path.join(root, 'index.html') });
  });

  it.each([
    'app://caseward/../../etc/passwd.txt',
    'app://caseward/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://caseward/assets/..%2f..%2fsecret.txt',
    'app://caseward/assets/%5c..%5csecret.txt',
    'app://caseward/a\\..\\..\\secret.txt',
    'app://caseward/index.html%00.png',
    'app://evil/index.html',
    'https://caseward/index.html',
    'file:///etc/passwd',
  ])('never resolves %s outside the renderer folder', (url) => {
    const r = resolveAppUrl(root, url);
    if (r.kind === 'file') {
      // The URL parser folds plain and %2e '..' segments at the root, which lands inside the root: harmless.
      expect(r.file.startsWith(root + path.sep)).toBe(true);
    } else {
      expect([400, 403]).toContain(r.status);
    }
  });

  it.each([
    'app://caseward/assets/..%2f..%2fsecret.txt',
    'app://caseward/assets/%5c..%5csecret.txt',
    'app://caseward/index.html%00.png',
    'app://evil/index.html',
    'https://caseward/index.html',
  ])('refuses %s outright', (url) => {
    expect(resolveAppUrl(root, url)).toEqual({ kind: 'refused', status: 403 });
  });

  it('refuses malformed percent-encoding', () => {
    expect(resolveAppUrl(root, 'app://caseward/%E0%A4%A.js')).toEqual({ kind: 'refused', status: 400 });
  });
});

describe('createAppProtocolHandler', () => {
  let dir: string;
  let handler: (r: Request) => Promise<Response>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'caseward-protocol-'));
    const renderer = path.join(dir, 'renderer');
    mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Caseward</title>');
    writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'secret.txt'), 'outside the root');
    handler = createAppProtocolHandler(renderer);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves files with their type, the CSP and nosniff', async () => {
    const res = await handler(new Request('app://caseward/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
  });

  it('serves index.html at the root', async () => {
    const res = await handler(new Request('app://caseward/'));
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>Caseward</title>');
  });

  it('never serves a file next to the renderer folder, and keeps the CSP on refusals', async () => {
    for (const url of ['app://caseward/%2e%2e/secret.txt', 'app://caseward/assets/..%2f..%2fsecret.txt']) {
      const res = await handler(new Request(url));
      expect([403, 404], url).toContain(res.status);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).not.toContain('outside the root');
    }
  });

  it('answers 404 for a missing file and 405 for writes', async () => {
    expect((await handler(new Request('app://caseward/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://caseward/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('has a CSP that starts from nothing and allows no inline script', () => {
    expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'none'")).toBe(true);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });
});

describe('registerAppScheme', () => {
  it('registers app:// as a standard secure scheme that never bypasses the CSP', () => {
    const calls: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes: unknown) => calls.push(schemes) } as never);
    expect(calls).toHaveLength(1);
    const [[scheme]] = calls as [[{ scheme: string; privileges: Record<string, boolean> }]];
    expect(scheme.scheme).toBe('app');
    expect(scheme.privileges).toMatchObject({ standard: true, secure: true });
    expect(scheme.privileges.bypassCSP ?? false).toBe(false);
    expect(scheme.privileges.allowServiceWorkers ?? false).toBe(false);
    expect(scheme.privileges.allowExtensions ?? false).toBe(false);
  });
});
