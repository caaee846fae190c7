/**
 * EBS direct APIs (REST-JSON, signing name 'ebs'): ListSnapshotBlocks and GetSnapshotBlock.
 * Listings page in block order with opaque NextTokens; block tokens are HMAC-bound to snapshot,
 * index and expiry, so a stale or borrowed token fails as it does in AWS. Only completed
 * snapshots are readable; AWS answers a pending one as if it did not exist yet.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { EBS_BLOCK_SIZE } from './block-source.js';
import { notAuthorizedText, type RequestContext, type ServiceHandler } from './context.js';
import { AwsError, jsonErrorResponse, type WireResponse } from './errors.js';
import type { Snapshot } from './model.js';

const MIN_PAGE = 100;
const MAX_PAGE = 10000;

function validation(message: string, reason?: string): AwsError {
  return AwsError.ebs('ValidationException', message, 400, reason);
}

function notFound(snapshotId: string): AwsError {
  return AwsError.ebs('ResourceNotFoundException', `The snapshot '${snapshotId}' does not exist.`, 404, 'SNAPSHOT_NOT_FOUND');
}

/** The snapshot named in the path, if the caller may read it through EBS direct. */
function readableSnapshot(ctx: RequestContext, snapshotId: string): Snapshot {
  if (!/^snap-[0-9a-f]+$/.test(snapshotId)) {
    throw validation(`1 validation error detected: Value '${snapshotId}' at 'snapshotId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^snap-[0-9a-f]+$`);
  }
  const snap = ctx.state.snapshots.get(snapshotId);
  const me = ctx.identity.accountId;
  // EBS direct does not serve public snapshots, only owned or explicitly shared ones.
  if (!snap || snap.region !== ctx.region || (snap.ownerId !== me && !snap.createVolumePermission.has(me))) throw notFound(snapshotId);
  ctx.state.refreshSnapshot(snap);
  if (snap.state !== 'completed') throw notFound(snapshotId);
  return snap;
}

function tokenMac(ctx: RequestContext, snapshotId: string, index: number, expiryMs: number): Buffer {
  return createHmac('sha256', ctx.state.tokenSecret).update(`${snapshotId}|${index}|${expiryMs}`).digest().subarray(0, 24);
}

/** A block token: version, index, expiry and a MAC, base64 (so it carries '+', '/' and '=' like AWS's). */
function makeToken(ctx: RequestContext, snapshotId: string, index: number, expiryMs: number): string {
  const head = Buffer.alloc(13);
  head.writeUInt8(1, 0);
  head.writeUInt32BE(index, 1);
  head.writeDoubleBE(expiryMs, 5);
  return Buffer.concat([head, tokenMac(ctx, snapshotId, index, expiryMs)]).toString('base64');
}

/** 'ok', 'invalid' (forged, other block or snapshot) or 'expired'. */
function checkToken(ctx: RequestContext, snapshotId: string, index: number, token: string): 'ok' | 'invalid' | 'expired' {
  const raw = Buffer.from(token, 'base64');
  if (raw.length !== 37 || raw.readUInt8(0) !== 1 || raw.readUInt32BE(1) !== index) return 'invalid';
  const expiryMs = raw.readDoubleBE(5);
  const mac = raw.subarray(13);
  if (!timingSafeEqual(mac, tokenMac(ctx, snapshotId, index, expiryMs))) return 'invalid';
  return ctx.state.now() > expiryMs ? 'expired' : 'ok';
}

function json(ctx: RequestContext, body: unknown): WireResponse {
  return { status: 200, headers: { 'Content-Type': 'application/json', 'x-amzn-RequestId': ctx.requestId }, body: Buffer.from(JSON.stringify(body)) };
}

function parseIndex(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw validation(`1 validation error detected: Value '${text}' at '${name}' failed to satisfy constraint: Member must be a non-negative integer`);
  return Number(text);
}

async function listSnapshotBlocks(ctx: RequestContext, snapshotId: string): Promise<WireResponse> {
  const snap = readableSnapshot(ctx, snapshotId);
  const p = ctx.params;
  const asked = parseIndex(p.maxResults, 'maxResults');
  if (asked !== undefined && asked > MAX_PAGE) {
    throw validation(`1 validation error detected: Value '${asked}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`);
  }
  // AWS returns at least 100 blocks even when asked for fewer (EBS direct APIs FAQ).
  let limit = Math.max(MIN_PAGE, asked ?? MAX_PAGE);
  const short = ctx.faults.take({ service: 'ebs', action: 'ListSnapshotBlocks', snapshotId }, ['short-page']);
  if (short?.limit !== undefined) limit = Math.min(limit, short.limit);
  let start = parseIndex(p.startingBlockIndex, 'startingBlockIndex') ?? 0;
  if (p.pageToken !== undefined) {
    const decoded = /^(snap-[0-9a-f]+):(\d+)$/.exec(Buffer.from(p.pageToken, 'base64').toString('utf8'));
    if (!decoded || decoded[1] !== snapshotId) throw validation('The pagination token is not valid.', 'INVALID_PAGE_TOKEN');
    start = Number(decoded[2]);
  }
  const listed = snap.content ? await snap.content.listedBlocks() : [];
  let pos = 0;
  let hi = listed.length;
  while (pos < hi) {
    const mid = (pos + hi) >> 1;
    if (listed[mid]! < start) pos = mid + 1;
    else hi = mid;
  }
  const page = listed.slice(pos, pos + limit);
  const expiryMs = ctx.state.now() + ctx.state.blockTokenTtlMs;
  const next = listed[pos + limit];
  return json(ctx, {
    Blocks: page.map((i) => ({ BlockIndex: i, BlockToken: makeToken(ctx, snapshotId, i, expiryMs) })),
    ExpiryTime: expiryMs / 1000,
    VolumeSize: snap.volumeSizeGiB,
    BlockSize: EBS_BLOCK_SIZE,
    ...(next !== undefined ? { NextToken: Buffer.from(`${snapshotId}:${next}`).toString('base64') } : {}),
  });
}

async function getSnapshotBlock(ctx: RequestContext, snapshotId: string, indexText: string): Promise<WireResponse> {
  const snap = readableSnapshot(ctx, snapshotId);
  const index = parseIndex(indexText, 'blockIndex')!;
  const total = snap.volumeSizeGiB * (1024 ** 3 / EBS_BLOCK_SIZE);
  if (index >= total) throw validation(`The block index ${index} is beyond the end of the ${snap.volumeSizeGiB} GiB volume.`, 'INVALID_BLOCK');
  const token = ctx.params.blockToken;
  if (!token) throw validation("1 validation error detected: Value null at 'blockToken' failed to satisfy constraint: Member must not be null");
  const descriptor = { service: 'ebs', action: 'GetSnapshotBlock', snapshotId, blockIndex: index };
  const verdict = ctx.faults.take(descriptor, ['expire-token']) ? 'expired' : checkToken(ctx, snapshotId, index, token);
  if (verdict === 'expired') throw validation('The block token has expired.', 'INVALID_BLOCK_TOKEN');
  if (verdict === 'invalid') throw validation('The block token is not valid.', 'INVALID_BLOCK_TOKEN');
  const data = snap.content ? await snap.content.read(index) : Buffer.alloc(EBS_BLOCK_SIZE);
  let checksum = snap.content ? await snap.content.checksum(index, data) : createHash('sha256').update(data).digest('base64');
  const bad = ctx.faults.take(descriptor, ['bad-checksum']);
  if (bad?.corrupt === 'checksum') checksum = createHash('sha256').update(data).update('corrupt').digest('base64');
  else if (bad) data[0] = data[0]! ^ 0xff;
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/octet-stream',
      'x-amz-Data-Length': String(EBS_BLOCK_SIZE),
      'x-amz-Checksum': checksum,
      'x-amz-Checksum-Algorithm': 'SHA256',
      'x-amzn-RequestId': ctx.requestId,
    },
    body: data,
  };
}

async function handle(ctx: RequestContext): Promise<WireResponse> {
  const [root, snapshotId, sub, index] = ctx.pathSegments;
  if (ctx.action === 'Unknown' || root !== 'snapshots' || !snapshotId || sub !== 'blocks') {
    throw AwsError.ebs('UnknownOperationException', 'Unknown operation', 404);
  }
  if (!ctx.state.policy.isAllowed(`ebs:${ctx.action}`)) throw ebsService.errors.accessDenied(ctx);
  return index === undefined ? listSnapshotBlocks(ctx, snapshotId) : getSnapshotBlock(ctx, snapshotId, index);
}

/** The EBS direct service. */
export const ebsService: ServiceHandler = {
  identify: (raw) => {
    const [root, snapshotId, sub, index] = raw.pathSegments;
    if (root !== 'snapshots' || raw.method !== 'GET' || sub !== 'blocks' || raw.pathSegments.length > 4) return { action: 'Unknown' };
    if (index === undefined) return { action: 'ListSnapshotBlocks', snapshotId };
    return { action: 'GetSnapshotBlock', snapshotId, blockIndex: /^\d+$/.test(index) ? Number(index) : undefined };
  },
  handle,
  renderError: jsonErrorResponse,
  errors: {
    missing: AwsError.ebs('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
    unknownKey: AwsError.ebs('UnrecognizedClientException', 'The security token included in the request is invalid.', 403),
    badSignature: (message) => AwsError.ebs('InvalidSignatureException', message, 403),
    expired: (message) => AwsError.ebs('InvalidSignatureException', message, 403),
    throttle: AwsError.ebs('ThrottlingException', 'Rate exceeded', 400),
    serverError: (status) =>
      status === 503
        ? AwsError.ebs('ServiceUnavailableException', 'Service Unavailable', 503)
        : AwsError.ebs('InternalServerException', 'An internal error occurred.', status),
    accessDenied: (ctx) =>
      AwsError.ebs(
        'AccessDeniedException',
        notAuthorizedText(ctx, `arn:aws:ec2:${ctx.region}::snapshot/${ctx.pathSegments[1] ?? '*'}`),
        403,
        'UNAUTHORIZED_ACCOUNT',
      ),
  },
};
