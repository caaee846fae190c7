import path from 'node:path';
import type { LoadedDigest } from './digest-file.js';
import type { ChainGap, DigestResult } from './integrity-types.js';
import { toUtcIso } from './record.js';
import { isBackfillKey, parseDigestKey } from './s3-keys.js';
import { checkDigestSignature, type KeyRing } from './signature.js';

/** A digest in its chain, with what the next (newer) digest says about it. */
interface Node {
  d: LoadedDigest;
  id: string;
  stream: string;
  end: number;
  result: DigestResult;
  expectedSignature: string | null;
  expectedHash: string | null;
  linkedFrom: string | null;
}

export interface ChainOutcome {
  /** Every provided digest, plus those referenced by a valid digest but not provided. */
  results: DigestResult[];
  gaps: ChainGap[];
  /** The provided digests whose signature checked out (only their log lists are trusted). */
  valid: LoadedDigest[];
}

const iso = (ms: number): string => new Date(ms).toISOString();
const idOf = (bucket: string, key: string): string => `${bucket}/${key}`;

function streamOf(key: string): string {
  const k = parseDigestKey(key);
  const base = k
    ? `${k.orgId ? `${k.orgId}/` : ''}${k.accountId}/${k.region}/${k.trailName}/${k.homeRegion}`
    : `unrecognised key layout: ${path.posix.dirname(key)}`;
  return isBackfillKey(key) ? `${base} (backfill)` : base;
}

function endMs(d: LoadedDigest): number {
  const fromData = d.data ? Date.parse(d.data.digestEndTime) : NaN;
  if (!Number.isNaN(fromData)) return fromData;
  const fromKey = parseDigestKey(d.local.s3Key)?.endTime;
  return fromKey ? Date.parse(fromKey) : 0;
}

function newResult(bucket: string, key: string, pathOnDisk: string | null, stream: string): DigestResult {
  return {
    s3Bucket: bucket, s3Key: key, path: pathOnDisk, status: 'invalid', reason: null, backfill: isBackfillKey(key), stream,
    digestStartTime: null, digestEndTime: null, sha256: null, signatureSource: null, publicKeyFingerprint: null, logFiles: 0, notes: [],
  };
}

/** Checks one digest on its own and against what the next digest recorded about it. */
function validateNode(n: Node, ring: KeyRing): void {
  const { d, result: r } = n;
  const fail = (reason: string): void => void Object.assign(r, { status: 'invalid', reason });
  r.sha256 = d.sha256;
  if (d.fileMissing) return void Object.assign(r, { status: 'missing', reason: d.problem });
  if (!d.data || !d.sha256) return fail(d.problem ?? 'invalid format');
  const data = d.data;
  r.digestStartTime = toUtcIso(data.digestStartTime);
  r.digestEndTime = toUtcIso(data.digestEndTime);
  r.publicKeyFingerprint = data.digestPublicKeyFingerprint;
  r.logFiles = data.logFiles.length;
  if (data.digestS3Bucket !== d.local.s3Bucket || data.digestS3Object !== d.local.s3Key) {
    return fail(`has been moved from its original location (it names s3://${data.digestS3Bucket}/${data.digestS3Object})`);
  }
  if (r.backfill && !d.local.backfillGenerationTimestamp) {
    return fail('backfill digest without its x-amz-meta-backfill-generation-timestamp metadata');
  }
  const meta = d.local.signatureHex?.trim().toLowerCase() || null;
  const expected = n.expectedSignature?.toLowerCase() ?? null;
  if (meta && expected && meta !== expected) {
    return fail(`its x-amz-meta-signature differs from the previousDigestSignature recorded by the next digest ${n.linkedFrom}`);
  }
  const signature = meta ?? expected;
  if (!signature) return fail('no signature: x-amz-meta-signature was not kept and no valid next digest records it');
  r.signatureSource = meta ? 'metadata' : 'next-digest';
  const check = checkDigestSignature(data, d.sha256, signature, d.local.signatureAlgorithm, ring);
  r.notes.push(...check.warnings);
  if (check.problem) return fail(check.problem);
  if (n.expectedHash && n.expectedHash.toLowerCase() !== d.sha256) {
    return fail(`its SHA-256 ${d.sha256} differs from the previousDigestHashValue recorded by the next digest ${n.linkedFrom}`);
  }
  r.status = 'valid';
}

/**
 * Walks each digest chain from newest to oldest as `aws cloudtrail validate-logs` does: follow
 * previousDigestS3Bucket/Object from a valid digest; after an invalid or missing digest, or a
 * chain start, carry on with the next older digest. Reports missing links and restarts as gaps.
 */
export function walkChains(loaded: LoadedDigest[], ring: KeyRing, range?: { start: string; end: string }): ChainOutcome {
  const byId = new Map<string, Node>();
  const streams = new Map<string, Node[]>();
  for (const d of loaded) {
    const id = idOf(d.local.s3Bucket, d.local.s3Key);
    const stream = streamOf(d.local.s3Key);
    const node: Node = {
      d, id, stream, end: endMs(d), result: newResult(d.local.s3Bucket, d.local.s3Key, d.local.path, stream),
      expectedSignature: null, expectedHash: null, linkedFrom: null,
    };
    if (byId.has(id)) node.result.notes.push('the same digest was provided more than once');
    else byId.set(id, node);
    streams.set(stream, [...(streams.get(stream) ?? []), node]);
  }
  const missing = new Map<string, DigestResult>();
  const gaps: ChainGap[] = [];
  const rangeStart = range ? Date.parse(range.start) : NaN;
  // Shared by all chains: a link may point into another chain (a previous key naming another trail).
  const visited = new Set<Node>();
  for (const [stream, nodes] of streams) {
    nodes.sort((a, b) => b.end - a.end);
    const nextOlder = (t: number): Node | undefined => nodes.find((n) => !visited.has(n) && n.end < t);
    let cur: Node | undefined = nodes.find((n) => !visited.has(n));
    for (;;) {
      if (!cur) {
        cur = nodes.find((n) => !visited.has(n));
        if (!cur) break;
        cur.result.notes.push('not linked from the chain of newer digests: no digest names it as its previous digest');
      }
      visited.add(cur);
      validateNode(cur, ring);
      const data = cur.d.data;
      if (cur.result.status !== 'valid' || !data) {
        cur = nextOlder(cur.end);
        continue;
      }
      if (data.previousDigestS3Bucket && data.previousDigestS3Object) {
        const prevId = idOf(data.previousDigestS3Bucket, data.previousDigestS3Object);
        const prev = byId.get(prevId);
        if (prev && !visited.has(prev)) {
          Object.assign(prev, { expectedSignature: data.previousDigestSignature, expectedHash: data.previousDigestHashValue, linkedFrom: cur.id });
          const start = Date.parse(data.digestStartTime);
          if (!Number.isNaN(start) && prev.d.data && prev.end !== start) {
            gaps.push({
              stream, kind: 'time', from: iso(prev.end), to: iso(start), olderDigest: prev.id, newerDigest: cur.id,
              message: `linked digests do not meet: ${prev.id} ends ${iso(prev.end)}, ${cur.id} starts ${iso(start)}`,
            });
          }
          cur = prev;
          continue;
        }
        const older = nextOlder(cur.end);
        const targetEnd = parseDigestKey(data.previousDigestS3Object)?.endTime;
        const beyond = range ? targetEnd !== undefined && Date.parse(targetEnd) <= rangeStart : !older;
        if (beyond) {
          cur.result.notes.push(`its previous digest ${prevId} is before the digests provided`);
        } else if (!missing.has(prevId)) {
          const m = newResult(data.previousDigestS3Bucket, data.previousDigestS3Object, null, stream);
          const startTime = targetEnd ? iso(Date.parse(targetEnd) - 3_600_000) : null;
          Object.assign(m, { status: 'missing', reason: `not provided; ${cur.id} names it as its previous digest`, digestEndTime: targetEnd ?? null, digestStartTime: startTime });
          if (startTime) m.notes.push('times estimated from its key (an hourly digest ending then)');
          missing.set(prevId, m);
        }
        cur = older;
        continue;
      }
      const older = nextOlder(cur.end);
      if (older) {
        const to = toUtcIso(data.digestStartTime) ?? iso(cur.end);
        gaps.push({
          stream, kind: 'restart', from: iso(older.end), to, olderDigest: older.id, newerDigest: cur.id,
          message: `no digests between ${iso(older.end)} and ${to}: ${cur.id} starts a new chain (logging or validation was off)`,
        });
      } else if (range && !cur.result.backfill && Date.parse(data.digestStartTime) > rangeStart) {
        gaps.push({
          stream, kind: 'before-first', from: range.start, to: iso(Date.parse(data.digestStartTime)), olderDigest: null, newerDigest: cur.id,
          message: `the chain starts at ${cur.id}; nothing before it in the range is covered by a digest`,
        });
      }
      cur = older;
    }
    const newest = nodes.find((n) => n.d.data);
    if (range && newest && !newest.result.backfill && newest.end < Date.parse(range.end)) {
      gaps.push({
        stream, kind: 'after-last', from: iso(newest.end), to: range.end, olderDigest: newest.id, newerDigest: null,
        message: `the last digest provided ends ${iso(newest.end)}; logs delivered after it are not covered`,
      });
    }
  }
  const results = [...byId.values(), ...[...streams.values()].flat().filter((n) => byId.get(n.id) !== n)].map((n) => n.result);
  results.push(...missing.values());
  results.sort((a, b) => a.stream.localeCompare(b.stream) || (a.digestEndTime ?? '').localeCompare(b.digestEndTime ?? ''));
  const valid = [...streams.values()].flat().filter((n) => n.result.status === 'valid').map((n) => n.d);
  return { results, gaps, valid };
}
