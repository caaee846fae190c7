/**
 * Re-verifies a segmented artifact segment by segment against its artifact.added event, so a
 * missing or changed segment is reported by name rather than as "the image changed".
 */
import path from 'node:path';
import type { EvidenceSegment, Hashes, VerificationResult } from '../../../shared/types.js';
import { toErrorInfo } from '../../../shared/errors.js';
import { passSegment, TripleHash } from './segment-pass.js';

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

/** Re-hashes each recorded segment found next to `firstFile`; rethrows only CANCELLED. */
export async function verifySegments(
  firstFile: string,
  recorded: EvidenceSegment[],
  opts: { signal?: AbortSignal; onProgress?: (done: number) => void },
): Promise<SetVerification> {
  const dir = path.dirname(firstFile);
  const combined = new TripleHash();
  const segments: SegmentOutcome[] = [];
  let base = 0;
  let whole = true;
  for (const rec of recorded) {
    const file = path.join(dir, rec.name);
    try {
      const h = await passSegment(file, null, combined, { signal: opts.signal, onBytes: (d) => opts.onProgress?.(base + d) });
      const actual = { size: h.size, md5: h.md5, sha1: h.sha1, sha256: h.sha256 };
      const differ = (['md5', 'sha1', 'sha256'] as const).filter((k) => h[k] !== rec[k]).map((k) => k.toUpperCase());
      if (h.size !== rec.size) differ.push(`size ${h.size} bytes, recorded ${rec.size}`);
      segments.push({
        name: rec.name,
        result: differ.length ? 'mismatch' : 'match',
        message: differ.length ? `segment ${rec.name} has changed (${differ.join(', ')} differ from the custody record)` : 'matches',
        actual,
      });
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.code === 'CANCELLED') throw err;
      whole = false;
      const missing = info.code === 'FILE_MISSING';
      segments.push({ name: rec.name, result: missing ? 'missing' : 'unreadable', message: missing ? `segment ${rec.name} is missing` : `segment ${rec.name} is unreadable: ${info.message}`, actual: null });
    }
    base += rec.size;
  }
  const bad = segments.filter((s) => s.result !== 'match');
  const result = bad.reduce<VerificationResult>((worst, s) => (SEVERITY.indexOf(s.result) > SEVERITY.indexOf(worst) ? s.result : worst), 'match');
  const message = bad.length
    ? `${bad.length} of ${recorded.length} segments ${bad.length === 1 ? 'does' : 'do'} not match: ${bad.map((s) => s.message).join('; ')}`
    : `All ${recorded.length} segments match the custody record (MD5, SHA-1, SHA-256 each)`;
  // Without every segment, the combined hash would describe a different byte stream: report none.
  return { result, actual: whole ? combined.digest() : null, message, segments };
}
