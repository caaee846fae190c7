/**
 * Verifies AWS Signature Version 4 (Authorization header form) the way AWS does: rebuild the
 * canonical request from what arrived on the wire, derive the signing key from the secret we hold,
 * and compare. Non-S3 services double-encode the path (the path as sent is percent-encoded once
 * more), drop empty and '.' segments and resolve '..' — both the SDK and botocore sign that way.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FakeIdentity } from './credentials.js';

/** What a request looks like to the verifier. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as received (req.url). */
  rawUrl: string;
  /** Node's req.rawHeaders: [name, value, name, value, …]. */
  rawHeaders: string[];
  body: Buffer;
}

/** Why a request was refused; each maps to a service-specific AWS error. */
export type AuthFailureKind = 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' | 'expired';

/** Outcome of verification; region/service are known whenever the credential scope parsed. */
export type SigV4Result =
  | { ok: true; identity: FakeIdentity; region: string; service: string; amzDate: string }
  | {
      ok: false;
      kind: AuthFailureKind;
      message: string;
      region?: string;
      service?: string;
      canonicalRequest?: string;
      stringToSign?: string;
    };

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper hex). */
export function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Canonical URI for non-S3 services: normalised segments, then encoded again. */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEscape).join('/')}${trailing}`;
}

/** Canonical query: each pair decoded, re-encoded, sorted by key then value; signature excluded. */
export function canonicalQuery(rawQuery: string): string {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(part.slice(eq + 1));
    if (key.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([uriEscape(key), uriEscape(value)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header values by lower-case name; repeated headers joined with ',' and whitespace folded. */
export function headerMap(rawHeaders: string[]): Map<string, string> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const value = rawHeaders[i + 1]!.trim().replace(/\s+/g, ' ');
    map.set(name, [...(map.get(name) ?? []), value]);
  }
  return new Map([...map].map(([k, v]) => [k, v.join(',')]));
}

/** HMAC-SHA256 signing key for one day/region/service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Parses `yyyymmddThhmmssZ` into epoch milliseconds, or NaN. */
function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

function compact(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Verifies one request. `lookup` finds the identity for an access key id. */
export function verifySigV4(
  req: SignedRequest,
  lookup: (accessKeyId: string) => FakeIdentity | undefined,
  nowMs: number,
  maxSkewMs: number,
): SigV4Result {
  const headers = headerMap(req.rawHeaders);
  const auth = headers.get('authorization');
  if (!auth) return { ok: false, kind: 'missing', message: 'Request is missing Authentication Token' };
  if (!auth.startsWith(`${ALGORITHM} `)) {
    return { ok: false, kind: 'malformed', message: `Unsupported authorization type; only ${ALGORITHM} is accepted` };
  }
  const parts = new Map<string, string>();
  for (const piece of auth.slice(ALGORITHM.length + 1).split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const scopeParts = credential?.split('/') ?? [];
  if (!credential || !signedHeaders || !signature || scopeParts.length !== 5 || scopeParts[4] !== 'aws4_request') {
    return { ok: false, kind: 'malformed', message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.` };
  }
  const [accessKeyId, scopeDate, region, service] = scopeParts as [string, string, string, string];
  const base = { region, service };
  const amzDate = headers.get('x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt)) {
    return { ok: false, kind: 'malformed', message: 'Authorization header requires existence of either a X-Amz-Date or a Date header.', ...base };
  }
  if (!amzDate.startsWith(scopeDate)) {
    return { ok: false, kind: 'bad-signature', message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`, ...base };
  }
  const identity = lookup(accessKeyId);
  if (!identity) return { ok: false, kind: 'unknown-key', message: 'The security token included in the request is invalid.', ...base };
  const token = headers.get('x-amz-security-token');
  if ((identity.sessionToken ?? undefined) !== (token ?? undefined)) {
    return { ok: false, kind: 'unknown-key', message: 'The security token included in the request is invalid.', ...base };
  }
  if (Math.abs(nowMs - signedAt) > maxSkewMs) {
    return {
      ok: false,
      kind: 'expired',
      message: `Signature expired: ${amzDate} is now earlier than ${compact(nowMs - maxSkewMs)} (${compact(nowMs)} - ${Math.round(maxSkewMs / 60000)} min.)`,
      ...base,
    };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) {
    return { ok: false, kind: 'bad-signature', message: "'Host' must be a 'SignedHeader' in the AWS Authorization.", ...base };
  }
  const qIndex = req.rawUrl.indexOf('?');
  const rawPath = qIndex < 0 ? req.rawUrl : req.rawUrl.slice(0, qIndex);
  const rawQuery = qIndex < 0 ? '' : req.rawUrl.slice(qIndex + 1);
  const actualHash = sha256Hex(req.body);
  const declaredHash = headers.get('x-amz-content-sha256');
  if (declaredHash && !declaredHash.startsWith('UNSIGNED') && !declaredHash.startsWith('STREAMING') && declaredHash !== actualHash) {
    return { ok: false, kind: 'bad-signature', message: 'The provided x-amz-content-sha256 header does not match what was computed.', ...base };
  }
  const canonicalRequest = [
    req.method.toUpperCase(),
    // S3 signs the path exactly as sent (encoded once, not normalised); other services normalise and encode again.
    service === 's3' ? rawPath : canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    names.map((n) => `${n}:${headers.get(n) ?? ''}\n`).join(''),
    signedHeaders,
    declaredHash ?? actualHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, amzDate, `${scopeDate}/${region}/${service}/aws4_request`, sha256Hex(canonicalRequest)].join('\n');
  const expected = createHmac('sha256', signingKey(identity.secretAccessKey, scopeDate, region, service)).update(stringToSign).digest('hex');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) {
    return {
      ok: false,
      kind: 'bad-signature',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      canonicalRequest,
      stringToSign,
      ...base,
    };
  }
  return { ok: true, identity, region, service, amzDate };
}
