import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { LocalDigest } from './integrity-types.js';

/** One log file as a digest lists it. */
export interface DigestLogEntry {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
}

/** The fields of a digest file (AWS CloudTrail User Guide, "CloudTrail digest file structure"). */
export interface DigestData {
  awsAccountId: string | null;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string | null;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogEntry[];
}

/** A digest read from disk: the hash of its uncompressed bytes and its fields, or why not. */
export interface LoadedDigest {
  local: LocalDigest;
  /** SHA-256 of the exact uncompressed bytes (what CloudTrail signs), never of re-serialised JSON. */
  sha256: string | null;
  data: DigestData | null;
  /** Set when the file is absent or unreadable as a digest. */
  problem: string | null;
  fileMissing: boolean;
}

const MAX_DIGEST_BYTES = 64 * 1024 * 1024;

// The fields aws cloudtrail validate-logs requires before it validates a digest.
const REQUIRED = [
  'digestPublicKeyFingerprint',
  'digestS3Bucket',
  'digestS3Object',
  'previousDigestSignature',
  'digestEndTime',
  'digestStartTime',
] as const;

function s(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Parses uncompressed digest bytes; returns the fields or a description of what is wrong. */
export function parseDigest(bytes: Buffer): { data: DigestData } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { problem: `invalid format: not JSON (${(err as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'invalid format: not a JSON object' };
  const o = value as Record<string, unknown>;
  const absent = REQUIRED.filter((k) => !(k in o));
  if (absent.length) return { problem: `invalid format: missing ${absent.join(', ')}` };
  for (const k of ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'digestEndTime', 'digestStartTime'] as const) {
    if (typeof o[k] !== 'string') return { problem: `invalid format: ${k} is not a string` };
  }
  if (o.previousDigestSignature !== null && typeof o.previousDigestSignature !== 'string') {
    return { problem: 'invalid format: previousDigestSignature is neither a string nor null' };
  }
  const rawLogs = o.logFiles ?? [];
  if (!Array.isArray(rawLogs)) return { problem: 'invalid format: logFiles is not a list' };
  const logFiles: DigestLogEntry[] = [];
  for (const [i, e] of rawLogs.entries()) {
    const l = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const bucket = s(l.s3Bucket);
    const key = s(l.s3Object);
    const hash = s(l.hashValue);
    if (!bucket || !key || !hash) return { problem: `invalid format: logFiles[${i}] lacks s3Bucket, s3Object or hashValue` };
    logFiles.push({
      s3Bucket: bucket,
      s3Object: key,
      hashValue: hash.toLowerCase(),
      hashAlgorithm: s(l.hashAlgorithm) ?? 'SHA-256',
      newestEventTime: s(l.newestEventTime),
      oldestEventTime: s(l.oldestEventTime),
    });
  }
  return {
    data: {
      awsAccountId: s(o.awsAccountId),
      digestStartTime: o.digestStartTime as string,
      digestEndTime: o.digestEndTime as string,
      digestS3Bucket: o.digestS3Bucket as string,
      digestS3Object: o.digestS3Object as string,
      digestPublicKeyFingerprint: o.digestPublicKeyFingerprint as string,
      digestSignatureAlgorithm: s(o.digestSignatureAlgorithm),
      newestEventTime: s(o.newestEventTime),
      oldestEventTime: s(o.oldestEventTime),
      previousDigestS3Bucket: s(o.previousDigestS3Bucket),
      previousDigestS3Object: s(o.previousDigestS3Object),
      previousDigestHashValue: s(o.previousDigestHashValue),
      previousDigestHashAlgorithm: s(o.previousDigestHashAlgorithm),
      previousDigestSignature: s(o.previousDigestSignature),
      logFiles,
    },
  };
}

/**
 * Reads a digest file from disk. Delivered digests are gzip; an already decompressed copy is
 * accepted too, since what is hashed and signed is the uncompressed content either way.
 */
export async function loadDigest(local: LocalDigest): Promise<LoadedDigest> {
  const out: LoadedDigest = { local, sha256: null, data: null, problem: null, fileMissing: false };
  let bytes: Buffer;
  try {
    const st = await fs.stat(local.path);
    if (!st.isFile()) return { ...out, problem: `${local.path} is not a regular file` };
    if (st.size > MAX_DIGEST_BYTES) return { ...out, problem: `invalid format: ${st.size} bytes is too large for a digest file` };
    bytes = await fs.readFile(local.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ...out, fileMissing: true, problem: `file not found on disk: ${local.path}` };
    return { ...out, problem: `cannot read ${local.path}: ${(err as Error).message}` };
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_DIGEST_BYTES });
    } catch (err) {
      return { ...out, problem: `invalid format: truncated or corrupt gzip (${(err as Error).message})` };
    }
  }
  out.sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseDigest(bytes);
  if ('problem' in parsed) return { ...out, problem: parsed.problem };
  return { ...out, data: parsed.data };
}
