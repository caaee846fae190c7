/**
 * The browser door: the same CasewardApp served over loopback HTTP. POST /api/invoke carries one
 * contract call, GET /api/events streams AppEvents as Server-Sent Events, everything else is the
 * built renderer. Every request must name this server in its Host header; API calls need the token.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { isChannel } from '../../shared/contract.js';
import type { Envelope } from '../../shared/envelope.js';
import type { CasewardApp } from '../app.js';
import { BASE_HEADERS, bearerToken, hostAllowed, originAllowed, tokenMatches } from './security.js';
import { serveStatic } from './static-files.js';

/** The largest /api/invoke body accepted; notes are capped at 1 MB of text by the contract. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface HostOptions {
  app: Pick<CasewardApp, 'invoke' | 'onEvent'>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Fixed token for tests; a random 32-byte token otherwise. */
  token?: string;
  /** SSE keep-alive comment interval; 15 s unless a test wants it sooner. */
  keepAliveMs?: number;
}

export interface RunningHost {
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Ends event streams and stops listening. Does not close the app. */
  close(): Promise<void>;
}

/** Starts the loopback host; resolves once it is listening on 127.0.0.1. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorEnvelope('INTERNAL', String(err)));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Electron checklist equivalent for a web door: answer only to our own name (DNS rebinding).
    if (!hostAllowed(req, port)) {
      sendText(res, 421, 'Misdirected request: this server answers only to 127.0.0.1 and localhost.\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    // URL() resolves `..` away; static serving must see the path as sent so traversal is refused, not rewritten.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (rawPath === '/api' || rawPath.startsWith('/api/')) {
      await handleApi(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    serveStatic(options.staticDir, req, res, rawPath);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!originAllowed(req, port)) {
      sendJson(res, 403, errorEnvelope('FORBIDDEN', 'Cross-origin requests are refused.'));
      return;
    }
    const isEvents = url.pathname === '/api/events';
    // EventSource cannot set headers, so the event stream alone may carry the token in the query.
    const presented = bearerToken(req) ?? (isEvents ? url.searchParams.get('token') : null);
    if (!tokenMatches(presented, token)) {
      sendJson(res, 401, errorEnvelope('FORBIDDEN', 'Missing or wrong session token.'), {
        'www-authenticate': 'Bearer',
      });
      return;
    }
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return void sendJson(res, 405, errorEnvelope('INVALID_INPUT', 'Use POST.'));
      await handleInvoke(req, res);
      return;
    }
    if (isEvents) {
      if (req.method !== 'GET') return void sendJson(res, 405, errorEnvelope('INVALID_INPUT', 'Use GET.'));
      handleEvents(req, res);
      return;
    }
    sendJson(res, 404, errorEnvelope('NOT_FOUND', `No API route ${url.pathname}.`));
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      sendJson(res, 415, errorEnvelope('INVALID_INPUT', 'Send the call as application/json.'));
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      sendJson(res, 413, errorEnvelope('INVALID_INPUT', `Request body is larger than ${MAX_BODY_BYTES} bytes.`), {
        connection: 'close',
      });
      req.resume();
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, errorEnvelope('INVALID_INPUT', 'Request body is not valid JSON.'));
      return;
    }
    const { channel, input } = (parsed ?? {}) as { channel?: unknown; input?: unknown };
    if (!isChannel(channel)) {
      sendJson(res, 200, errorEnvelope('INVALID_INPUT', `Unknown channel: ${String(channel).slice(0, 100)}`));
      return;
    }
    let envelope: Envelope<unknown>;
    try {
      envelope = await options.app.invoke(channel, input ?? {});
    } catch (err) {
      // invoke() is specified never to throw; if it does, the examiner still gets an envelope.
      envelope = errorEnvelope('INTERNAL', err instanceof Error ? err.message : String(err));
    }
    sendJson(res, 200, envelope);
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = options.app.onEvent((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
    const cleanup = (): void => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the host is reached from elsewhere through a port forward, never directly.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function errorEnvelope(code: 'INVALID_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'INTERNAL', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...extra,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads the whole body, or returns null as soon as it exceeds limit bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}
