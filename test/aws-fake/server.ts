/**
 * The HTTP front end: reads a request, checks its SigV4 signature, picks the service from the
 * credential scope, applies injected faults, dispatches, records the call and writes the answer.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AwsError, type WireResponse } from './errors.js';
import type { RawRequest, RequestContext, ServiceHandler } from './context.js';
import type { FaultController, RequestDescriptor } from './faults.js';
import type { FakeState } from './state.js';
import { verifySigV4 } from './sigv4.js';
import { parseForm } from './query-params.js';

const MAX_BODY = 16 * 1024 * 1024;

/** Server settings. */
export interface ServerOptions {
  state: FakeState;
  faults: FaultController;
  services: Record<string, ServiceHandler>;
  /** Largest accepted difference between the signing time and now (AWS: 15 minutes). */
  maxClockSkewMs: number;
}

/** Creates (but does not start) the fake's HTTP server. */
export function createFakeServer(opts: ServerOptions): http.Server {
  const server = http.createServer((req, res) => {
    readBody(req)
      .then((body) => serve(opts, req, res, body))
      .catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`aws-fake internal error: ${err instanceof Error ? err.stack : String(err)}`);
        } else res.destroy();
      });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function rawRequest(req: http.IncomingMessage, body: Buffer): RawRequest {
  const url = new URL(req.url ?? '/', 'http://fake.invalid');
  const params: Record<string, string> = {};
  // Query values keep '+' literally (block tokens are base64); form-style decoding would make it a space.
  for (const part of url.search.slice(1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    params[safeDecode(eq < 0 ? part : part.slice(0, eq))] = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
  }
  if (/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) Object.assign(params, parseForm(body.toString('utf8')));
  const pathSegments = url.pathname.split('/').filter((s) => s !== '').map(safeDecode);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  return { method: req.method ?? 'GET', pathSegments, params, headers, body };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Picks the service when the credential scope could not name it (unsigned requests). */
function guessService(raw: RawRequest): string {
  if (raw.pathSegments[0] === 'snapshots') return 'ebs';
  if (raw.params.Version === '2011-06-15') return 'sts';
  if (raw.params.Version === '2010-05-08') return 'iam';
  return 'ec2';
}

async function serve(opts: ServerOptions, req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
  const { state, faults, services } = opts;
  const requestId = randomUUID();
  const raw = rawRequest(req, body);
  const auth = verifySigV4(
    { method: req.method ?? 'GET', rawUrl: req.url ?? '/', rawHeaders: req.rawHeaders, body },
    (id) => state.identities.get(id),
    Date.now(),
    opts.maxClockSkewMs,
  );
  const serviceName = auth.service && services[auth.service] ? auth.service : guessService(raw);
  const service = services[serviceName]!;
  const id = service.identify(raw);
  const record = (status: number, errorCode: string | undefined, dryRun: boolean, ctx?: RequestContext, response?: WireResponse): void => {
    state.calls.push({
      seq: state.calls.length + 1,
      time: new Date(state.now()),
      service: serviceName,
      action: id.action,
      params: paramsForLog(serviceName, raw),
      requestId,
      dryRun,
      status,
      errorCode,
      region: auth.region ?? '',
      accountId: ctx?.identity.accountId,
      accessKeyId: ctx?.identity.accessKeyId,
      responseBody: response && /xml|json/.test(response.headers['Content-Type'] ?? '') ? response.body.toString('utf8') : undefined,
    });
  };

  if (!auth.ok) {
    const e = service.errors;
    const err =
      auth.kind === 'missing' || auth.kind === 'malformed'
        ? auth.kind === 'missing'
          ? e.missing
          : e.badSignature(auth.message)
        : auth.kind === 'unknown-key'
          ? e.unknownKey
          : auth.kind === 'expired'
            ? e.expired(auth.message)
            : e.badSignature(auth.message);
    const response = service.renderError(err, requestId);
    record(err.status, err.code, false, undefined, response);
    send(res, response, false);
    return;
  }

  const ctx: RequestContext = {
    requestId,
    service: serviceName,
    region: auth.region,
    identity: auth.identity,
    method: raw.method,
    pathSegments: raw.pathSegments,
    params: raw.params,
    headers: raw.headers,
    body: raw.body,
    action: id.action,
    state,
    faults,
    dryRun: false,
  };
  const descriptor: RequestDescriptor = { service: serviceName, ...id };
  if (serviceName === 'ebs' && id.action === 'GetSnapshotBlock' && id.snapshotId && id.blockIndex !== undefined) {
    faults.recordFetch(id.snapshotId, id.blockIndex);
  }
  const delay = faults.latencyFor(descriptor);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));

  const drop = faults.take(descriptor, ['drop-connection']);
  if (drop && drop.phase === 'before-response') {
    record(0, 'ConnectionDropped', false, ctx);
    req.socket.destroy();
    return;
  }
  let response: WireResponse;
  try {
    const fault = faults.take(descriptor, ['throttle', 'server-error']);
    if (fault) throw injected(service, fault.kind, fault.status, fault.code);
    response = await service.handle(ctx);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    response = service.renderError(err, requestId);
    record(err.status, err.code, ctx.dryRun, ctx, response);
    send(res, response, Boolean(drop));
    return;
  }
  record(drop ? 0 : response.status, drop ? 'ConnectionDropped' : undefined, ctx.dryRun, ctx, response);
  send(res, response, Boolean(drop));
}

function injected(service: ServiceHandler, kind: string, status?: number, code?: string): AwsError {
  const base = kind === 'throttle' ? service.errors.throttle : service.errors.serverError(status ?? 500);
  if (status === undefined && code === undefined) return base;
  return new AwsError(code ?? base.code, base.message, status ?? base.status, base.reason);
}

function paramsForLog(service: string, raw: RawRequest): Record<string, string> {
  const out: Record<string, string> = { ...raw.params };
  if (service !== 'ebs' && service !== 's3') {
    delete out.Action;
    delete out.Version;
  } else {
    out.path = `/${raw.pathSegments.join('/')}`;
  }
  return out;
}

/** Writes a response; with `dropMidBody` the socket dies after half the body, as a broken link does. */
function send(res: http.ServerResponse, response: WireResponse, dropMidBody: boolean): void {
  // A HEAD answer names the object's length without sending its bytes.
  const headers = { ...response.headers, 'Content-Length': response.headers['Content-Length'] ?? String(response.body.length) };
  res.writeHead(response.status, headers);
  if (!dropMidBody) {
    res.end(response.body);
    return;
  }
  const socket: Socket = res.socket as Socket;
  res.write(response.body.subarray(0, Math.floor(response.body.length / 2)), () => socket.destroy());
}
