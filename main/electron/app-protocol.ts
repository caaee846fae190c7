/**
 * Serves the built renderer (dist/renderer) on `app://caseward/` with a strict CSP.
 * Checklist "Avoid usage of the file:// protocol": a custom protocol instead of file://, so the page gets a real origin and no file access.
 * Only type imports from electron: the resolver and handler are tested under plain Node.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, contentTypeFor } from '../renderer-assets.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'caseward';
/** Every page and IPC sender must start with this origin. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}/`;
export const APP_INDEX_URL = `${APP_ORIGIN}index.html`;

export { CONTENT_SECURITY_POLICY, contentTypeFor };

export type Resolved = { kind: 'file'; file: string } | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps an app:// URL to a file inside rendererRoot. Refuses other hosts, encoded separators, NUL bytes
 * and anything that resolves outside the root. A path without an extension is a client route: index.html.
 */
export function resolveAppUrl(rendererRoot: string, rawUrl: string): Resolved {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { kind: 'refused', status: 403 };
  // Check the raw path too: a URL parser may already have folded '..' segments away.
  const rawPath = url.pathname;
  if (/%2f|%5c|%00/i.test(rawPath) || rawPath.includes('\\')) return { kind: 'refused', status: 403 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (decoded.includes('\0')) return { kind: 'refused', status: 403 };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused', status: 403 };

  const root = path.resolve(rendererRoot);
  const relative = segments.length === 0 ? 'index.html' : segments.join(path.sep);
  const last = segments[segments.length - 1] ?? '';
  const target = path.resolve(root, path.extname(last) === '' ? 'index.html' : relative);
  if (target !== root && !target.startsWith(root + path.sep)) return { kind: 'refused', status: 403 };
  return { kind: 'file', file: target };
}

function refusal(status: number): Response {
  return new Response(null, { status, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}

/** Builds the request handler for `protocol.handle`: GET/HEAD only, files under rendererRoot, CSP on every response. */
export function createAppProtocolHandler(rendererRoot: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
    const resolved = resolveAppUrl(rendererRoot, request.url);
    if (resolved.kind === 'refused') return refusal(resolved.status);
    let body: Buffer;
    try {
      body = await readFile(resolved.file);
    } catch {
      return refusal(404);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': contentTypeFor(resolved.file),
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}

/** Privileges of app://: a standard, secure scheme gets an origin, storage and fetch like https. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  // Vite emits <script type="module" crossorigin>, fetched in CORS mode; VS Code's vscode-file scheme sets this
  // for the same reason. It loosens nothing that matters here: no other origin can ever load in our window.
  corsEnabled: true,
  codeCache: true,
} as const;

/** Must run before app 'ready'. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** Runs after 'ready': serves rendererRoot on app://caseward/. */
export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rendererRoot: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot));
}
