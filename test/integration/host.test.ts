import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AppEvent } from '../../shared/events.js';
import type { Envelope } from '../../shared/envelope.js';
import { startHost, type RunningHost } from '../../main/host/server.js';

/** A stand-in CasewardApp: echoes calls and lets the test push events. */
function fakeApp() {
  const listeners = new Set<(e: AppEvent) => void>();
  const calls: Array<{ channel: string; input: unknown }> = [];
  return {
    calls,
    listenerCount: () => listeners.size,
    emit: (e: AppEvent) => listeners.forEach((l) => l(e)),
    invoke: async (channel: string, input: unknown): Promise<Envelope<unknown>> => {
      calls.push({ channel, input });
      return { ok: true, value: { echoed: channel, input } };
    },
    onEvent: (cb: (e: AppEvent) => void) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw http.request so Host, Origin and unnormalised paths go out exactly as written. */
function raw(
  host: RunningHost,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('browser host', () => {
  const app = fakeApp();
  let host: RunningHost;
  let staticDir: string;
  let goodHeaders: Record<string, string>;

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-host-'));
    fs.mkdirSync(path.join(staticDir, 'www', 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'www', 'index.html'), '<!doctype html><title>Caseward</title>');
    fs.writeFileSync(path.join(staticDir, 'www', 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(staticDir, 'secret.txt'), 'outside the web root');
    host = await startHost({ app, staticDir: path.join(staticDir, 'www'), keepAliveMs: 200 });
    goodHeaders = {
      host: `127.0.0.1:${host.port}`,
      authorization: `Bearer ${host.token}`,
      'content-type': 'application/json',
    };
  });

  afterAll(async () => {
    await host.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const invokeBody = JSON.stringify({ channel: 'cases.list', input: {} });

  it('prints a loopback URL with a 32-byte token and listens on 127.0.0.1 only', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    const other = await startHost({ app, staticDir });
    expect(other.token).not.toBe(host.token);
    await other.close();
    const connect = (address: string) =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: address, port: host.port, path: '/' }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
      });
    // Bound to 0.0.0.0 or :: these would answer; bound to 127.0.0.1 they are refused.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((i) => i && i.address !== '127.0.0.1' && !i.address.startsWith('fe80'))
      .map((i) => i!.address);
    // On Linux all of 127/8 reaches the loopback interface, so 127.0.0.2 is a portable probe.
    if (process.platform === 'linux') others.push('127.0.0.2');
    if (others.length === 0) console.warn('no other local address to probe: the loopback-only check cannot run here');
    for (const address of others) await expect(connect(address), address).rejects.toThrow(/ECONNREFUSED/);
    await expect(connect('127.0.0.1')).resolves.toBe(200);
  });

  it('answers a good invoke with the envelope', async () => {
    const res = await raw(host, { method: 'POST', path: '/api/invoke', headers: goodHeaders, body: invokeBody });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { echoed: 'cases.list', input: {} } });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('accepts the same-origin Origin under both loopback names', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const headers = { ...goodHeaders, host: `${name}:${host.port}`, origin: `http://${name}:${host.port}` };
      const res = await raw(host, { method: 'POST', path: '/api/invoke', headers, body: invokeBody });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a wrong Host header (DNS rebinding), even with the token', async () => {
    const before = app.calls.length;
    for (const bad of [`evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1']) {
      const res = await raw(host, { method: 'POST', path: '/api/invoke', headers: { ...goodHeaders, host: bad }, body: invokeBody });
      expect([403, 421]).toContain(res.status);
      const page = await raw(host, { path: '/', headers: { host: bad } });
      expect([403, 421]).toContain(page.status);
    }
    expect(app.calls.length).toBe(before);
  });

  it('refuses a missing or wrong token', async () => {
    const before = app.calls.length;
    const { authorization: _auth, ...noToken } = goodHeaders;
    const missing = await raw(host, { method: 'POST', path: '/api/invoke', headers: noToken, body: invokeBody });
    expect(missing.status).toBe(401);
    const wrong = await raw(host, {
      method: 'POST',
      path: '/api/invoke',
      headers: { ...goodHeaders, authorization: `Bearer ${host.token.slice(0, -1)}x` },
      body: invokeBody,
    });
    expect(wrong.status).toBe(401);
    // The query-string token is for the event stream only.
    const inQuery = await raw(host, { method: 'POST', path: `/api/invoke?token=${host.token}`, headers: noToken, body: invokeBody });
    expect(inQuery.status).toBe(401);
    const events = await raw(host, { path: '/api/events?token=nope', headers: { host: goodHeaders.host! } });
    expect(events.status).toBe(401);
    expect(app.calls.length).toBe(before);
  });

  it('refuses a foreign Origin with 403', async () => {
    const before = app.calls.length;
    for (const origin of ['https://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      const res = await raw(host, { method: 'POST', path: '/api/invoke', headers: { ...goodHeaders, origin }, body: invokeBody });
      expect(res.status).toBe(403);
    }
    expect(app.calls.length).toBe(before);
  });

  it('returns INVALID_INPUT for an unknown channel without calling the app', async () => {
    const before = app.calls.length;
    const res = await raw(host, {
      method: 'POST',
      path: '/api/invoke',
      headers: goodHeaders,
      body: JSON.stringify({ channel: 'constructor', input: {} }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(app.calls.length).toBe(before);
  });

  it('refuses bodies over 2 MiB with 413, and non-JSON bodies', async () => {
    const big = JSON.stringify({ channel: 'notes.create', input: { body: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await raw(host, { method: 'POST', path: '/api/invoke', headers: goodHeaders, body: big });
    expect(res.status).toBe(413);
    const bad = await raw(host, { method: 'POST', path: '/api/invoke', headers: goodHeaders, body: '{not json' });
    expect(bad.status).toBe(400);
    const form = await raw(host, {
      method: 'POST',
      path: '/api/invoke',
      headers: { ...goodHeaders, 'content-type': 'text/plain' },
      body: invokeBody,
    });
    expect(form.status).toBe(415);
  });

  it('delivers an event over SSE and unsubscribes when the stream closes', async () => {
    const listenersBefore = app.listenerCount();
    const received = await new Promise<{ event: AppEvent; keepAlive: boolean }>((resolve, reject) => {
      let keepAlive = false;
      let text = '';
      const req = http.get(
        { host: '127.0.0.1', port: host.port, path: `/api/events?token=${host.token}`, headers: { host: goodHeaders.host! } },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toContain('text/event-stream');
          res.setEncoding('utf8');
          setTimeout(() => app.emit({ kind: 'case.changed', caseId: 'c1', what: 'notes' }), 450);
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': keep-alive')) keepAlive = true;
            const match = /^data: (.*)$/m.exec(text);
            if (match) {
              req.destroy();
              resolve({ event: JSON.parse(match[1]!) as AppEvent, keepAlive });
            }
          });
        },
      );
      req.on('error', (err) => (err.message.includes('aborted') ? undefined : reject(err)));
    });
    expect(received.event).toEqual({ kind: 'case.changed', caseId: 'c1', what: 'notes' });
    expect(received.keepAlive).toBe(true);
    await expect.poll(() => app.listenerCount()).toBe(listenersBefore);
  });

  it('serves the renderer with the CSP, SPA fallback and 404 for missing assets', async () => {
    const h = { host: goodHeaders.host! };
    const index = await raw(host, { path: '/?token=abc', headers: h });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Caseward</title>');
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await raw(host, { path: '/assets/app.js', headers: h });
    expect(js.headers['content-type']).toContain('text/javascript');
    expect((await raw(host, { path: '/cases/123', headers: h })).body).toContain('<title>Caseward</title>');
    expect((await raw(host, { path: '/assets/missing.js', headers: h })).status).toBe(404);
    expect((await raw(host, { method: 'POST', path: '/', headers: h })).status).toBe(405);
  });

  it('refuses path traversal, literal or encoded', async () => {
    const h = { host: goodHeaders.host! };
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/a%00.js']) {
      const res = await raw(host, { path: p, headers: h });
      expect(res.status, p).toBe(400);
      expect(res.body).not.toContain('outside the web root');
    }
  });
});
