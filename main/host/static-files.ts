/**
 * Serves the built renderer (dist/renderer): known content types, traversal refused, and the
 * single-page fallback to index.html for paths that look like app routes rather than files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_HEADERS } from './security.js';
import { contentTypeFor } from '../renderer-assets.js';

/** Why a path was refused, or the absolute file it names inside root. */
export type ResolvedPath = { kind: 'file'; file: string } | { kind: 'refused'; reason: string };

/**
 * Maps a URL path to a file inside root. Refuses encoded or literal `..` segments, backslashes
 * and NUL bytes outright instead of normalising them away: a request that tries is not a mistake.
 */
export function resolveStaticPath(root: string, urlPath: string): ResolvedPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused', reason: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', reason: 'bad characters' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused', reason: 'traversal' };
  const rootAbs = path.resolve(root);
  const file = path.resolve(rootAbs, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return { kind: 'refused', reason: 'outside root' };
  return { kind: 'file', file };
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, head: boolean): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // index.html is tiny and names hashed assets; never let a stale copy point at deleted files.
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/** Answers a GET/HEAD for a static file from root, with SPA fallback to index.html. */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, urlPath: string): void {
  const head = req.method === 'HEAD';
  const resolved = resolveStaticPath(root, urlPath);
  if (resolved.kind === 'refused') {
    send(res, 400, `Bad request: ${resolved.reason}\n`, 'text/plain; charset=utf-8', head);
    return;
  }
  let file = resolved.file;
  let stat = statOrNull(file);
  if (stat?.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = statOrNull(file);
  }
  if (!stat || !stat.isFile()) {
    // A path with an extension is a missing asset; without one it is an app route.
    if (path.extname(urlPath) !== '') {
      send(res, 404, 'Not found\n', 'text/plain; charset=utf-8', head);
      return;
    }
    file = path.join(root, 'index.html');
    stat = statOrNull(file);
    if (!stat) {
      send(res, 503, 'The renderer is not built: run `npm run build`.\n', 'text/plain; charset=utf-8', head);
      return;
    }
  }
  send(res, 200, fs.readFileSync(file), contentTypeFor(file), head);
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
