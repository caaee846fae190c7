/**
 * Re-verifies a segmented artifact segment by segment against its artifact.added event, so a
 * missing or changed segment is reported by name rather than as "the image changed".
 */
import path from 'node:path';
import type { EvidenceSegment, Hashes, VerificationResult } from '../../../shared/types.js';
import { toErrorInfo } from '../../../shared/errors.js';
import { detectEvidenceSet } from './evidence-set.js';
import { passSegment } from './segment-pass.js';
import { SetHashPass } from './set-hash-pass.js';

/** What became of one recorded segment. */
export interface SegmentOutcome {
  name: string;
  result: VerificationResult;
  message: string;
  actual: (Hashes & { size: number }) | null;
}

/** The set's verdict: worst segment result, combined hashes when every segment could be read. */
export interface SetVerification {
  result: VerificationResult;
  actual: Hashes | null;
  message: string;
  segments: SegmentOutcome[];
}

const SEVERITY: VerificationResult[] = ['match', 'mismatch', 'unreadable', 'missing'];

/** Re-hashes each recorded segment found next to `firstFile`; rethrows only CANCELLED and worker failures (INTERNAL). */
export async function verifySegments(
  firstFile: string,
  recorded: EvidenceSegment[],
  opts: { signal?: AbortSignal; onProgress?: (done: number) => void },
): Promise<SetVerification> {
  const dir = path.dirname(firstFile);
  const pass = new SetHashPass(opts.signal);
  // Per recorded segment: its size once read whole (digests come at the end), or its outcome.
  const reads: Array<{ size: number } | SegmentOutcome> = [];
  let base = 0;
  try {
    for (const rec of recorded) {
      const file = path.join(dir, rec.name);
      try {
        reads.push({ size: await passSegment(file, null, pass, { signal: opts.signal, onBytes: (d) => opts.onProgress?.(base + d) }) });
      } catch (err) {
        const info = toErrorInfo(err);
        if (info.code === 'CANCELLED' || info.code === 'INTERNAL') throw err;
        const missing = info.code === 'FILE_MISSING';
        reads.push({ name: rec.name, result: missing ? 'missing' : 'unreadable', message: missing ? `segment ${rec.name} is missing` : `segment ${rec.name} is unreadable: ${info.message}`, actual: null });
      }
      base += rec.size;
    }
  } catch (err) {
    await pass.abort();
    throw err;
  }
  const hashed = await pass.finish();
  let kept = 0;
  const segments = recorded.map((rec, i): SegmentOutcome => {
    const read = reads[i]!;
    if ('result' in read) return read;
    const h = { size: read.size, ...hashed.segments[kept++]! };
    const differ = (['md5', 'sha1', 'sha256'] as const).filter((k) => h[k] !== rec[k]).map((k) => k.toUpperCase());
    if (h.size !== rec.size) differ.push(`size ${h.size} bytes, recorded ${rec.size}`);
    return {
      name: rec.name,
      result: differ.length ? 'mismatch' : 'match',
      message: differ.length ? `segment ${rec.name} has changed (${differ.join(', ')} differ from the custody record)` : 'matches',
      actual: h,
    };
  });
  const whole = segments.every((s) => s.actual !== null);
  // The image readers would read a later segment too, so the set no longer is what was recorded.
  for (const name of await extraSegments(firstFile, recorded)) {
    segments.push({ name, result: 'mismatch', message: `segment ${name} was not part of the set when it was added (the image readers would include it)`, actual: null });
  }
  const bad = segments.filter((s) => s.result !== 'match');
  const result = bad.reduce<VerificationResult>((worst, s) => (SEVERITY.indexOf(s.result) > SEVERITY.indexOf(worst) ? s.result : worst), 'match');
  const message = bad.length
    ? `${bad.length} of ${segments.length} segments ${bad.length === 1 ? 'does' : 'do'} not match: ${bad.map((s) => s.message).join('; ')}`
    : `All ${recorded.length} segments match the custody record (MD5, SHA-1, SHA-256 each)`;
  // Without every segment, the combined hash would describe a different byte stream: report none.
  return { result, actual: whole ? hashed.combined : null, message, segments };
}

/** Files beside the set that continue its naming but are not in the custody record. */
async function extraSegments(firstFile: string, recorded: EvidenceSegment[]): Promise<string[]> {
  // A set that cannot be listed now (first segment gone, a gap) is already reported per segment.
  const set = await detectEvidenceSet(firstFile).catch(() => null);
  if (!set) return [];
  const known = new Set(recorded.map((r) => r.name));
  return set.files.map((f) => path.basename(f)).filter((name) => !known.has(name));
}
