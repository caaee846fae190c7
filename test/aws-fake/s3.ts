/**
 * S3 (REST-XML, signing name 's3'), path-style addressing only (`/bucket/key`, what clients send to
 * an endpoint override with forcePathStyle, and what the AWS CLI sends to an IP address):
 * ListObjectsV2 with prefix, start-after, max-keys and continuation tokens, GetObject with the
 * object's metadata as x-amz-meta-* headers, HeadObject. Read-only: the fake's tests put objects
 * through `fake.logs.putObject`.
 */
import type { RawRequest, RequestContext, ServiceHandler } from './context.js';
import { AwsError, type WireResponse } from './errors.js';
import { logServices, type S3Object } from './logs-state.js';
import { XML_DECLARATION, el, escapeXml } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

function s3Error(code: string, message: string, status: number): AwsError {
  return new AwsError(code, message, status);
}

/** S3's HTTP date (RFC 7231), as Last-Modified carries it. */
function httpDate(d: Date): string {
  return d.toUTCString();
}

function bucketOf(ctx: RequestContext): Map<string, S3Object> {
  const name = ctx.pathSegments[0]!;
  const objects = logServices(ctx.state).buckets.get(name);
  if (!objects) throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (!ctx.state.policy.isAllowed(`s3:${ctx.action === 'ListObjectsV2' ? 'ListBucket' : 'GetObject'}`)) {
    throw s3Error('AccessDenied', 'Access Denied', 403);
  }
  return objects;
}

function objectOf(ctx: RequestContext): S3Object {
  const objects = bucketOf(ctx);
  const key = ctx.pathSegments.slice(1).join('/');
  const obj = objects.get(key);
  if (!obj) throw s3Error('NoSuchKey', 'The specified key does not exist.', 404);
  return obj;
}

function objectHeaders(ctx: RequestContext, obj: S3Object): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': obj.contentType,
    ETag: obj.etag,
    'Last-Modified': httpDate(obj.lastModified),
    'Accept-Ranges': 'bytes',
    'x-amz-request-id': ctx.requestId,
    'x-amz-id-2': Buffer.from(ctx.requestId).toString('base64'),
  };
  if (obj.versionId) headers['x-amz-version-id'] = obj.versionId;
  for (const [k, v] of Object.entries(obj.metadata)) headers[`x-amz-meta-${k}`] = v;
  return headers;
}

/** Keys in a listing; with encoding-type=url S3 percent-encodes them (the AWS CLI asks for that). */
function keyText(key: string, urlEncoded: boolean): string {
  return urlEncoded ? encodeURIComponent(key).replace(/%2F/g, '/') : key;
}

const tokenOf = (key: string): string => Buffer.from(`ct1:${key}`).toString('base64');

function keyAfterToken(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('ct1:')) throw s3Error('InvalidArgument', 'The continuation token provided is incorrect', 400);
  return text.slice(4);
}

function listObjectsV2(ctx: RequestContext): WireResponse {
  const objects = bucketOf(ctx);
  const p = ctx.params;
  const prefix = p.prefix ?? '';
  const maxKeys = p['max-keys'] === undefined ? 1000 : Number(p['max-keys']);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw s3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  const url = p['encoding-type'] === 'url';
  // A continuation token resumes after the last key returned; it wins over start-after, as in S3.
  const after = p['continuation-token'] !== undefined ? keyAfterToken(p['continuation-token']) : (p['start-after'] ?? '');
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const page = keys.slice(0, Math.min(maxKeys, 1000));
  const truncated = keys.length > page.length;
  const contents = page
    .map((k) => {
      const o = objects.get(k)!;
      return `<Contents>${el('Key', keyText(k, url))}${el('LastModified', o.lastModified.toISOString())}${el('ETag', o.etag)}${el('Size', o.body.length)}${el('StorageClass', 'STANDARD')}</Contents>`;
    })
    .join('');
  const xml =
    `${XML_DECLARATION}<ListBucketResult xmlns="${NS}">${el('Name', ctx.pathSegments[0]!)}${el('Prefix', keyText(prefix, url))}` +
    `${p['start-after'] !== undefined ? el('StartAfter', keyText(p['start-after'], url)) : ''}` +
    `${el('KeyCount', page.length)}${el('MaxKeys', maxKeys)}${url ? el('EncodingType', 'url') : ''}${el('IsTruncated', truncated)}` +
    `${p['continuation-token'] !== undefined ? `<ContinuationToken>${escapeXml(p['continuation-token'])}</ContinuationToken>` : ''}` +
    `${truncated ? el('NextContinuationToken', tokenOf(page.at(-1)!)) : ''}${contents}</ListBucketResult>`;
  return { status: 200, headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': ctx.requestId }, body: Buffer.from(xml) };
}

/** S3's error document; HEAD answers carry no body. */
function renderError(err: AwsError, requestId: string, head = false): WireResponse {
  const xml = `${XML_DECLARATION}<Error>${el('Code', err.code)}${el('Message', err.message)}${el('RequestId', requestId)}${el('HostId', Buffer.from(requestId).toString('base64'))}</Error>`;
  return {
    status: err.status,
    headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId, ...(head ? { 'Content-Length': '0' } : {}) },
    body: head ? Buffer.alloc(0) : Buffer.from(xml),
  };
}

function identify(raw: RawRequest): { action: string } {
  const hasKey = raw.pathSegments.length > 1;
  if (raw.method === 'HEAD') return { action: hasKey ? 'HeadObject' : 'HeadBucket' };
  if (raw.method === 'GET' && !hasKey && raw.params['list-type'] === '2') return { action: 'ListObjectsV2' };
  if (raw.method === 'GET' && hasKey) return { action: 'GetObject' };
  return { action: `${raw.method} ${hasKey ? 'object' : 'bucket'}` };
}

/** The S3 service of the fake. */
export const s3Service: ServiceHandler = {
  identify,
  async handle(ctx) {
    if (ctx.pathSegments.length === 0) throw s3Error('NotImplemented', 'ListBuckets is not implemented by the fake', 501);
    try {
      switch (ctx.action) {
        case 'ListObjectsV2':
          return listObjectsV2(ctx);
        case 'GetObject': {
          const obj = objectOf(ctx);
          return { status: 200, headers: objectHeaders(ctx, obj), body: obj.body };
        }
        case 'HeadObject': {
          const obj = objectOf(ctx);
          return { status: 200, headers: { ...objectHeaders(ctx, obj), 'Content-Length': String(obj.body.length) }, body: Buffer.alloc(0) };
        }
        default:
          throw s3Error('NotImplemented', `${ctx.action} is not implemented by the fake`, 501);
      }
    } catch (err) {
      // HEAD errors must go out without a body; the server renders thrown errors with a body.
      if (err instanceof AwsError && ctx.method === 'HEAD') throw Object.assign(err, { head: true });
      throw err;
    }
  },
  renderError: (err, requestId) => renderError(err, requestId, (err as AwsError & { head?: boolean }).head === true),
  errors: {
    missing: s3Error('AccessDenied', 'Access Denied', 403),
    unknownKey: s3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403),
    badSignature: (m) => s3Error('SignatureDoesNotMatch', m, 403),
    expired: (m) => s3Error('RequestTimeTooSkewed', m, 403),
    throttle: s3Error('SlowDown', 'Please reduce your request rate.', 503),
    serverError: (status) => (status === 503 ? s3Error('ServiceUnavailable', 'Service is unable to handle request.', 503) : s3Error('InternalError', 'We encountered an internal error. Please try again.', status)),
    accessDenied: () => s3Error('AccessDenied', 'Access Denied', 403),
  },
};
