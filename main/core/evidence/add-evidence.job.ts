/**
 * The evidence.add job: copy a file into the case while hashing it (then make the copy
 * read-only), or hash a file registered in place. The artifact stays pending until the hashes
 * and its custody event are written in one transaction. A segmented image (E01 set, split raw) is
 * one artifact: every segment is copied or hashed, and the custody event lists them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseSession } from '../cases/case-session.js';
import type { Actor } from '../custody/custody.repo.js';
import { sealArtifact } from './seal-artifact.js';
import type { EvidenceSegment } from '../../../shared/types.js';
import { copyAndHash, hashFile, type HashResult } from '../hashing/index.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import { jobParams } from '../jobs/jobs.repo.js';
import { abandonArtifact, getArtifact } from './artifacts.repo.js';
import { checkSourceFile } from './source-check.js';
import { hashSegments } from './segment-pass.js';

export interface AddEvidenceParams {
  artifactId: string;
  sourcePath: string;
  mode: 'copy' | 'in-place';
  /** Every segment's absolute path in order, first = sourcePath; absent for a single file. */
  segments?: string[];
}

/** Removes an unfinished copy (every segment of a set): it is not evidence, the source still is. */
function removePartialCopy(session: CaseSession, artifactId: string, segments: string[] | undefined): void {
  const a = getArtifact(session.db, artifactId);
  if (a.state !== 'pending' || a.storage !== 'copied') return;
  const first = session.resolve(a.storedPath);
  const dests = segments ? segments.map((s) => path.join(path.dirname(first), path.basename(s))) : [first];
  for (const dest of dests) {
    if (fs.existsSync(dest)) {
      fs.chmodSync(dest, 0o600);
      fs.rmSync(dest, { force: true });
    }
  }
}

export function addEvidenceJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<AddEvidenceParams>(session.db, jobId);
      const artifact = getArtifact(session.db, p.artifactId);
      // The whole set must still be there: a segment removed since evidence.add is a clear error now.
      const size = (p.segments ?? [p.sourcePath]).reduce((n, f) => n + checkSourceFile(f), 0);
      ctx.progress({ phase: p.mode === 'copy' ? 'copying and hashing' : 'hashing', bytesDone: 0, bytesTotal: size, itemsDone: 0, itemsTotal: 1, message: p.segments ? `${artifact.name} (${p.segments.length} segments)` : artifact.name });
      const onProgress = (done: number, total: number) => ctx.progress({ bytesDone: done, bytesTotal: total });
      let result: HashResult & { segments?: EvidenceSegment[] };
      let extra: Record<string, unknown> = {};
      if (p.mode === 'copy') {
        // A resumed job starts over: an earlier partial copy is removed first.
        removePartialCopy(session, p.artifactId, p.segments);
        const dest = session.resolve(artifact.storedPath);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        if (p.segments) {
          result = await hashSegments(p.segments, path.dirname(dest), { signal: ctx.signal, onProgress: (d) => onProgress(d, size) });
        } else {
          result = await copyAndHash(p.sourcePath, dest, { signal: ctx.signal, onProgress });
        }
      } else if (p.segments) {
        result = await hashSegments(p.segments, null, { signal: ctx.signal, onProgress: (d) => onProgress(d, size) });
      } else {
        result = await hashFile(p.sourcePath, { signal: ctx.signal, onProgress });
      }
      if (result.segments) extra = { segmentCount: result.segments.length, segments: result.segments };
      const hashes = sealArtifact(session.db, actor(), { ...artifact, sourcePath: p.sourcePath }, result, jobId, extra);
      ctx.progress({ phase: 'done', bytesDone: result.size, itemsDone: 1 });
      return { artifactId: p.artifactId, size: result.size, ...hashes };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<AddEvidenceParams>(session.db, jobId);
      removePartialCopy(session, p.artifactId, p.segments);
      abandonArtifact(session.db, p.artifactId, outcome === 'failed' ? 'failed' : 'discarded');
    },
  };
}
