/**
 * The evidence.verify job: re-hash artifacts and compare with the hashes the custody chain
 * recorded when each was added (the chain, not the editable row, is the reference).
 */
import type { Hashes, VerificationResult, VerifyOutcome } from '../../../shared/types.js';
import { AppError, toErrorInfo } from '../../../shared/errors.js';
import type { CaseSession } from '../cases/case-session.js';
import { appendEvent, lastEventFor, type Actor } from '../custody/custody.repo.js';
import { hashFile } from '../hashing/index.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import { jobParams } from '../jobs/jobs.repo.js';
import { listArtifacts, requireFileArtifact } from './artifacts.repo.js';
import type { Artifact } from '../../../shared/types.js';
import { verifySegments } from './verify-segments.js';

export interface VerifyEvidenceParams {
  artifactIds: string[] | null;
}

/** Where an artifact's bytes are: inside the case for copies, at the registered path otherwise. */
export function artifactFilePath(session: CaseSession, a: Artifact): string {
  // A cloud reference has no path: say so rather than fail on an empty one.
  requireFileArtifact(a, 'Reading its content');
  return a.storage === 'copied' ? session.resolve(a.storedPath) : a.storedPath;
}

function recordedHashes(session: CaseSession, artifactId: string): Hashes | null {
  const added = lastEventFor(session.db, artifactId, 'artifact.added');
  if (!added) return null;
  const d = added.details;
  return { md5: String(d.md5), sha1: String(d.sha1), sha256: String(d.sha256) };
}

export function verifyEvidenceJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const { artifactIds } = jobParams<VerifyEvidenceParams>(session.db, jobId);
      const wanted = artifactIds ? new Set(artifactIds) : null;
      const targets = listArtifacts(session.db).filter((a) => a.kind === 'file' && a.state === 'complete' && (!wanted || wanted.has(a.id)));
      const bytesTotal = targets.reduce((n, a) => n + (a.size ?? 0), 0);
      let base = 0;
      const outcomes: VerifyOutcome[] = [];
      ctx.progress({ phase: 'verifying', bytesDone: 0, bytesTotal, itemsDone: 0, itemsTotal: targets.length });
      for (const [i, a] of targets.entries()) {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Verification cancelled');
        ctx.progress({ message: a.name, itemsDone: i });
        const expected = recordedHashes(session, a.id);
        const file = artifactFilePath(session, a);
        let result: VerificationResult;
        let actual: Hashes | null = null;
        let message: string;
        let segmentDetails: Record<string, unknown> = {};
        if (a.segments) {
          const v = await verifySegments(file, a.segments, { signal: ctx.signal, onProgress: (done) => ctx.progress({ bytesDone: base + done }) });
          result = v.result;
          actual = v.actual;
          message = v.message;
          // A set whose segments all match but whose recorded set hashes differ is still a mismatch.
          const set = v.actual;
          if (result === 'match' && set && (!expected || (['md5', 'sha1', 'sha256'] as const).some((k) => expected[k] !== set[k]))) {
            result = 'mismatch';
            message = describeMismatch(expected, set, a.size, a.size ?? 0);
          }
          segmentDetails = { segments: v.segments.map((s) => ({ name: s.name, result: s.result, ...(s.actual ?? {}) })) };
        } else {
          try {
            const h = await hashFile(file, { signal: ctx.signal, onProgress: (done) => ctx.progress({ bytesDone: base + done }) });
            actual = { md5: h.md5, sha1: h.sha1, sha256: h.sha256 };
            const same = expected !== null && h.size === a.size && actual.md5 === expected.md5 && actual.sha1 === expected.sha1 && actual.sha256 === expected.sha256;
            result = same ? 'match' : 'mismatch';
            message = same ? 'All three hashes match the custody record' : describeMismatch(expected, actual, a.size, h.size);
          } catch (err) {
            const info = toErrorInfo(err);
            if (info.code === 'CANCELLED') throw err;
            result = info.code === 'FILE_MISSING' ? 'missing' : 'unreadable';
            message = info.message;
          }
        }
        base += a.size ?? 0;
        outcomes.push({ artifactId: a.id, name: a.name, result, expected, actual, message });
        appendEvent(session.db, actor(), {
          action: 'artifact.verified',
          artifactId: a.id,
          details: { jobId, result, path: file, message, expected, actual, ...segmentDetails },
        });
      }
      ctx.progress({ phase: 'done', itemsDone: targets.length, bytesDone: bytesTotal });
      const count = (r: VerificationResult) => outcomes.filter((o) => o.result === r).length;
      return { checked: outcomes.length, match: count('match'), mismatch: count('mismatch'), missing: count('missing'), unreadable: count('unreadable'), outcomes };
    },
    abandon() {
      // Verification writes no evidence; nothing to clean up.
    },
  };
}

function describeMismatch(expected: Hashes | null, actual: Hashes, expectedSize: number | null, actualSize: number): string {
  if (!expected) return 'No artifact.added event records this artifact\'s hashes';
  const differ = (['md5', 'sha1', 'sha256'] as const).filter((k) => expected[k] !== actual[k]).map((k) => k.toUpperCase());
  const size = expectedSize !== actualSize ? `; size ${actualSize} bytes, recorded ${expectedSize}` : '';
  return `The file has changed: ${differ.join(', ') || 'size'} differ from the custody record${size}`;
}
