/** The CloudTrail integrity validation operation of the contract (shared/contract-logs-validate.ts). */
import type { LogsValidationReport, logsValidateChannels } from '../shared/contract-logs-validate.js';
import { AppError } from '../shared/errors.js';
import type { Artifact } from '../shared/types.js';
import type { CaseSession } from './core/cases/case-session.js';
import { appendEvent } from './core/custody/custody.repo.js';
import { getArtifact } from './core/evidence/artifacts.repo.js';
import { artifactFilePath } from './core/evidence/verify-evidence.job.js';
import { validateTrail, type LocalDigest, type LocalLog } from './core/logs/cloudtrail/index.js';
import type { Handlers } from './handlers.js';

/** Per-file statuses kept in the custody event; the full report goes back to the caller. */
export const CUSTODY_FILE_LIMIT = 1000;

/** Only complete, hashed evidence is validated: its file is what the case holds, never a fresh S3 read. */
function completeArtifact(session: CaseSession, artifactId: string, seen: Set<string>): Artifact {
  if (seen.has(artifactId)) throw new AppError('INVALID_INPUT', `Artifact ${artifactId} is given more than once`);
  seen.add(artifactId);
  const a = getArtifact(session.db, artifactId);
  if (a.state !== 'complete' || !a.hashes) {
    throw new AppError('INVALID_INPUT', `Artifact ${a.name} is ${a.state}; only complete, hashed evidence can be validated`);
  }
  return a;
}

export const logsValidateHandlers: Pick<Handlers, keyof typeof logsValidateChannels> = {
  // Runs inline: a few thousand files hash in seconds. Trails of many thousands of files should
  // become a cancellable job with progress (validateTrail already takes signal and onProgress).
  'logs.validate': async (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session } = ctx.ws.get(input.caseId);
    const seen = new Set<string>();
    const byPath = new Map<string, string>();
    const logs: LocalLog[] = input.logs.map((l) => {
      const path = artifactFilePath(session, completeArtifact(session, l.artifactId, seen));
      byPath.set(path, l.artifactId);
      return { path, s3Bucket: l.s3Bucket, s3Key: l.s3Key };
    });
    const digests: LocalDigest[] = input.digests.map((d) => {
      const path = artifactFilePath(session, completeArtifact(session, d.artifactId, seen));
      byPath.set(path, d.artifactId);
      return {
        path, s3Bucket: d.s3Bucket, s3Key: d.s3Key, signatureHex: d.signatureHex, signatureAlgorithm: d.signatureAlgorithm,
        backfillGenerationTimestamp: d.backfillGenerationTimestamp ?? null,
      };
    });
    const report = await validateTrail({
      logs,
      digests,
      publicKeys: input.publicKeys,
      ...(input.range ? { range: { start: input.range.from, end: input.range.to } } : {}),
    });
    const artifactOf = (p: string | null): string | null => (p === null ? null : (byPath.get(p) ?? null));
    const digestResults = report.digests.map((d) => ({ ...d, artifactId: artifactOf(d.path) }));
    const logResults = report.logs.map((l) => ({ ...l, artifactId: artifactOf(l.path) }));
    const files = [
      ...digestResults.map((d) => ({ kind: 'digest', artifactId: d.artifactId, s3Key: d.s3Key, status: d.status, reason: d.reason })),
      ...logResults.map((l) => ({ kind: 'log', artifactId: l.artifactId, s3Key: l.s3Key, status: l.status, reason: l.reason })),
    ];
    const fingerprints = [...new Set(digestResults.flatMap((d) => (d.publicKeyFingerprint ? [d.publicKeyFingerprint] : [])))].sort();
    const event = appendEvent(session.db, actor, {
      action: 'logs.validated',
      details: {
        ok: report.ok,
        validatedAt: report.validatedAt,
        range: input.range ?? null,
        logs: report.counts.logs,
        digests: report.counts.digests,
        gaps: report.counts.gaps,
        keyFingerprints: fingerprints,
        keyProblems: report.keyProblems.length,
        filesTotal: files.length,
        filesTruncated: files.length > CUSTODY_FILE_LIMIT,
        files: files.slice(0, CUSTODY_FILE_LIMIT),
      },
    });
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    const result: LogsValidationReport = { ...report, digests: digestResults, logs: logResults, custodySeq: event.seq };
    return result;
  },
};
