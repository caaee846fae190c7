import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../../../shared/errors.js';
import type { DigestLogEntry, LoadedDigest } from './digest-file.js';
import type { LocalLog, LogResult } from './integrity-types.js';
import { hourOf, parseLogKey } from './s3-keys.js';

type HashOutcome = { sha256: string } | { problem: string; missing: boolean };

/**
 * SHA-256 of a log file's uncompressed content, streamed: that is what a digest's hashValue covers
 * (AWS CloudTrail User Guide, "CloudTrail digest file structure": "hash value of the uncompressed
 * log file content"). A file already decompressed is hashed as it is.
 */
export async function hashLogContent(filePath: string, signal?: AbortSignal): Promise<HashOutcome> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    return { problem: missing ? `file not found on disk: ${filePath}` : `cannot read ${filePath}: ${(err as Error).message}`, missing };
  }
  let source: Readable | null = null;
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    const file = handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 1024 * 1024 });
    source = file;
    if (magic[0] === 0x1f && magic[1] === 0x8b) {
      const gunzip = createGunzip();
      file.on('error', (err) => gunzip.destroy(err));
      source = file.pipe(gunzip);
    }
    const hash = createHash('sha256');
    for await (const chunk of source) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'Integrity validation was cancelled.');
      hash.update(chunk as Buffer);
    }
    return { sha256: hash.digest('hex') };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_')) return { problem: `invalid format: truncated or corrupt gzip (${(err as Error).message})`, missing: false };
    return { problem: `cannot read ${filePath}: ${(err as Error).message}`, missing: false };
  } finally {
    source?.destroy();
    await handle.close().catch(() => undefined);
  }
}

interface Listing {
  digestKey: string;
  entry: DigestLogEntry;
}

function newLog(bucket: string, key: string, local: LocalLog | undefined): LogResult {
  const k = parseLogKey(key);
  return {
    s3Bucket: bucket, s3Key: key, path: local?.path ?? null, status: 'not-covered', reason: null,
    expectedSha256: null, computedSha256: null, digestKeys: [], hour: k ? hourOf(k.deliveredAt) : null,
  };
}

/** Judges one provided log file against the valid digests that list it. */
function judge(r: LogResult, listings: Listing[], untrusted: string[], outcome: HashOutcome): void {
  if ('problem' in outcome) {
    r.status = outcome.missing && listings.length > 0 ? 'missing' : listings.length > 0 ? 'invalid' : r.status;
    r.reason = outcome.problem;
  } else {
    r.computedSha256 = outcome.sha256;
  }
  if (listings.length === 0) {
    if (untrusted.length > 0) {
      r.status = 'not-verified';
      r.reason = `listed only by digests that failed validation: ${untrusted.join(', ')}`;
    } else if (r.reason === null) {
      r.reason = 'no digest provided lists this log file';
    }
    return;
  }
  if ('problem' in outcome) return;
  r.expectedSha256 = listings[0]!.entry.hashValue;
  for (const { digestKey, entry } of listings) {
    if (entry.hashAlgorithm !== 'SHA-256') {
      r.status = 'invalid';
      r.reason = `digest ${digestKey} uses hash algorithm ${entry.hashAlgorithm}, which is not supported`;
      return;
    }
    if (entry.hashValue !== outcome.sha256) {
      r.status = 'invalid';
      r.expectedSha256 = entry.hashValue;
      r.reason = `hash value doesn't match: digest ${digestKey} records ${entry.hashValue}, the file's uncompressed content hashes to ${outcome.sha256}`;
      return;
    }
  }
  r.status = 'valid';
}

/**
 * Checks every log file listed by a valid digest and every log file provided: valid, invalid,
 * missing, not-covered (no digest lists it) or not-verified (only invalid digests list it).
 */
export async function checkLogs(
  loaded: LoadedDigest[],
  valid: Set<LoadedDigest>,
  logs: LocalLog[],
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<LogResult[]> {
  const trusted = new Map<string, Listing[]>();
  const untrusted = new Map<string, string[]>();
  for (const d of loaded) {
    for (const entry of d.data?.logFiles ?? []) {
      const id = `${entry.s3Bucket}/${entry.s3Object}`;
      const digestKey = `${d.local.s3Bucket}/${d.local.s3Key}`;
      if (valid.has(d)) trusted.set(id, [...(trusted.get(id) ?? []), { digestKey, entry }]);
      else untrusted.set(id, [...(untrusted.get(id) ?? []), digestKey]);
    }
  }
  const local = new Map<string, LocalLog>();
  for (const l of logs) if (!local.has(`${l.s3Bucket}/${l.s3Key}`)) local.set(`${l.s3Bucket}/${l.s3Key}`, l);
  const results: LogResult[] = [];
  for (const [id, listings] of trusted) {
    if (local.has(id)) continue;
    const { s3Bucket, s3Object } = listings[0]!.entry;
    const r = newLog(s3Bucket, s3Object, undefined);
    Object.assign(r, { status: 'missing', reason: 'listed by a valid digest but not provided', expectedSha256: listings[0]!.entry.hashValue });
    r.digestKeys = listings.map((l) => l.digestKey);
    results.push(r);
  }
  const todo = [...local.entries()];
  let taken = 0;
  let done = 0;
  // Two at a time: gunzip runs on libuv's pool, so two files keep both cores busy.
  const worker = async (): Promise<void> => {
    while (taken < todo.length) {
      const [id, l] = todo[taken++]!;
      const r = newLog(l.s3Bucket, l.s3Key, l);
      const listings = trusted.get(id) ?? [];
      r.digestKeys = [...listings.map((x) => x.digestKey), ...(untrusted.get(id) ?? [])];
      judge(r, listings, untrusted.get(id) ?? [], await hashLogContent(l.path, signal));
      results.push(r);
      onProgress?.(++done, local.size);
    }
  };
  await Promise.all([worker(), worker()]);
  return results.sort((a, b) => (a.hour ?? '').localeCompare(b.hour ?? '') || a.s3Key.localeCompare(b.s3Key));
}
