/**
 * Builds the logs.validate request from the case's artifacts and what the examiner pastes: which
 * files are CloudTrail logs or digests, where CloudTrail delivered them (bucket and key), the
 * digests' x-amz-meta-signature values and the public keys from ListPublicKeys. Pure.
 */
import type { AcquiredTrail } from '../../../../shared/contract-logs-acquire.js';
import type { Artifact } from '../../../../shared/types.js';

/** One trail file found among the artifacts. */
export interface TrailFile {
  artifactId: string;
  name: string;
  kind: 'log' | 'digest';
  /** The S3 key without any prefix before AWSLogs/. */
  key: string;
  /** The folder above AWSLogs/ when the files kept the bucket layout (aws s3 sync into <dir>/<bucket>). */
  bucketGuess: string | null;
  /** Digests: the UTC end time in the file name, used to sort and to name the newest of each chain. */
  time: string;
  /** Digests: account/region/trail/home region (and backfill): one chain each. */
  chain: string | null;
  /** Backfill digests need their x-amz-meta-backfill-generation-timestamp. */
  backfill: boolean;
}

const DIGEST = /^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(_backfill)?\.json(\.gz)?$/;
const LOG = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(\.gz)?$/;

function fromPath(sourcePath: string): { key: string; bucket: string | null } | null {
  const parts = sourcePath.replace(/\\/g, '/').split('/');
  const at = parts.lastIndexOf('AWSLogs');
  if (at < 0) return null;
  return { key: parts.slice(at).join('/'), bucket: at > 0 && parts[at - 1] ? parts[at - 1]! : null };
}

/** The trail file an artifact is, by CloudTrail's file naming; null for anything else. */
export function classifyTrailFile(a: Artifact, orgId = ''): TrailFile | null {
  const org = orgId.trim() ? `${orgId.trim()}/` : '';
  const path = fromPath(a.sourcePath);
  const d = DIGEST.exec(a.name);
  if (d) {
    const [, acct, region, trail, home, y, mo, day, h, mi, s, backfill] = d;
    return {
      artifactId: a.id, name: a.name, kind: 'digest',
      key: path?.key ?? `AWSLogs/${org}${acct}/CloudTrail-Digest/${region}/${y}/${mo}/${day}/${a.name}`,
      bucketGuess: path?.bucket ?? null,
      time: `${y}-${mo}-${day}T${h}:${mi}:${s}Z`,
      chain: `${acct}/${region}/${trail}/${home}${backfill ? '/backfill' : ''}`,
      backfill: !!backfill,
    };
  }
  const l = LOG.exec(a.name);
  if (l) {
    const [, acct, region, y, mo, day, h, mi] = l;
    return {
      artifactId: a.id, name: a.name, kind: 'log',
      key: path?.key ?? `AWSLogs/${org}${acct}/CloudTrail/${region}/${y}/${mo}/${day}/${a.name}`,
      bucketGuess: path?.bucket ?? null,
      time: `${y}-${mo}-${day}T${h}:${mi}:00Z`,
      chain: null,
      backfill: false,
    };
  }
  return null;
}

/** The complete, hashed trail files among the artifacts, digests ordered by time. */
export function findTrailFiles(artifacts: readonly Artifact[], orgId = ''): { logs: TrailFile[]; digests: TrailFile[] } {
  const files = artifacts.filter((a) => a.state === 'complete' && a.hashes).flatMap((a) => classifyTrailFile(a, orgId) ?? []);
  const byTime = (x: TrailFile, y: TrailFile): number => x.time.localeCompare(y.time) || x.name.localeCompare(y.name);
  return { logs: files.filter((f) => f.kind === 'log').sort(byTime), digests: files.filter((f) => f.kind === 'digest').sort(byTime) };
}

/** Artifact ids of the newest digest of each chain: offline, only its signature must come from S3 metadata. */
export function newestPerChain(digests: readonly TrailFile[]): Set<string> {
  const newest = new Map<string, TrailFile>();
  for (const d of digests) {
    const cur = newest.get(d.chain ?? '');
    if (!cur || d.time > cur.time) newest.set(d.chain ?? '', d);
  }
  return new Set([...newest.values()].map((d) => d.artifactId));
}

/** The most common bucket guess, to prefill the bucket field. */
export function guessBucket(files: readonly TrailFile[]): string {
  const counts = new Map<string, number>();
  for (const f of files) if (f.bucketGuess) counts.set(f.bucketGuess, (counts.get(f.bucketGuess) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

export interface PublicKeyInput {
  fingerprint: string;
  value: string;
  validityStart: string | null;
  validityEnd: string | null;
}

function when(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  // The CLI prints ISO times; the raw API gives epoch seconds.
  if (typeof v === 'number') return new Date(v < 1e12 ? v * 1000 : v).toISOString();
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
    return /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`;
  }
  throw new Error(`"${String(v)}" is not a time`);
}

/**
 * Public keys as `aws cloudtrail list-public-keys` prints them ({ PublicKeyList: [{ Value (base64 DER),
 * Fingerprint, ValidityStartTime, ValidityEndTime }] }), or that list alone.
 */
export function parsePublicKeys(text: string): PublicKeyInput[] {
  if (!text.trim()) throw new Error('Paste the output of aws cloudtrail list-public-keys for the period');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('The public keys are not valid JSON');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { PublicKeyList?: unknown } | null)?.PublicKeyList;
  if (!Array.isArray(list) || list.length === 0) throw new Error('No PublicKeyList entries found in the pasted JSON');
  return list.map((k: Record<string, unknown>, i) => {
    const value = k.Value ?? k.value;
    const fingerprint = k.Fingerprint ?? k.fingerprint;
    if (typeof value !== 'string' || typeof fingerprint !== 'string' || !value || !fingerprint) {
      throw new Error(`Public key ${i + 1} needs Value and Fingerprint`);
    }
    return {
      fingerprint,
      value: value.replace(/\s+/g, ''),
      validityStart: when(k.ValidityStartTime ?? k.validityStart),
      validityEnd: when(k.ValidityEndTime ?? k.validityEnd),
    };
  });
}

/** A pasted signature: hex, whitespace ignored; '' means "not kept" (the next digest supplies it). */
export function cleanSignature(text: string): string | null {
  const hex = text.replace(/\s+/g, '');
  if (!hex) return null;
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2) throw new Error('A signature must be hexadecimal, as in x-amz-meta-signature');
  return hex.toLowerCase();
}

export interface ValidateForm {
  bucket: string;
  /** Anything before AWSLogs/ in the keys (a trail's S3 key prefix), without slashes at the ends. */
  prefix: string;
  /** Digest artifact id → pasted x-amz-meta-signature. */
  signatures: Record<string, string>;
  /** Backfill digest artifact id → x-amz-meta-backfill-generation-timestamp. */
  backfillTimestamps?: Record<string, string>;
  publicKeys: string;
}

/** The logs.validate input (without caseId); throws Error with the examiner's words when the form cannot be used. */
export function buildValidateInput(files: { logs: readonly TrailFile[]; digests: readonly TrailFile[] }, form: ValidateForm) {
  const bucket = form.bucket.trim();
  if (!bucket) throw new Error('Name the S3 bucket CloudTrail delivered these files to');
  if (files.digests.length === 0) throw new Error('No CloudTrail digest files among the hashed artifacts');
  const prefix = form.prefix.trim().replace(/^\/+|\/+$/g, '');
  const key = (k: string): string => (prefix ? `${prefix}/${k}` : k);
  const publicKeys = parsePublicKeys(form.publicKeys);
  return {
    logs: files.logs.map((f) => ({ artifactId: f.artifactId, s3Bucket: bucket, s3Key: key(f.key) })),
    digests: files.digests.map((f) => {
      const sig = cleanSignature(form.signatures[f.artifactId] ?? '');
      const backfill = f.backfill ? (form.backfillTimestamps?.[f.artifactId] ?? '').trim() : '';
      return {
        artifactId: f.artifactId, s3Bucket: bucket, s3Key: key(f.key), signatureHex: sig, signatureAlgorithm: sig ? 'SHA256withRSA' : null,
        ...(backfill ? { backfillGenerationTimestamp: backfill } : {}),
      };
    }),
    publicKeys,
  };
}

/** The trail Caseward acquired from S3 (logs.acquiredTrail), as logs.validate takes it; throws when it cannot vouch for anything. */
export function acquiredValidateInput(trail: AcquiredTrail) {
  if (trail.digests.length === 0) throw new Error('No CloudTrail digest files were acquired from S3 in this case');
  if (trail.publicKeys.length === 0) {
    throw new Error('No CloudTrail public keys were acquired with the trail; enter them by hand (files added from disk) instead');
  }
  return {
    logs: trail.logs,
    digests: trail.digests.map(({ backfillGenerationTimestamp, ...d }) => ({ ...d, ...(backfillGenerationTimestamp ? { backfillGenerationTimestamp } : {}) })),
    publicKeys: trail.publicKeys,
  };
}
