/**
 * The evidence.add job: copy a file into the case while hashing it (then make the copy
 * read-only), or hash a file registered in place. The artifact stays pending until the hashes
 * and its custody event are written in one transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseSession } from '../cases/case-session.js';
import type { Actor } from '../custody/custody.repo.js';
import { sealArtifact } from './seal-artifact.js';
import { copyAndHash, hashFile } from '../hashing/index.js';
import type { JobContext, JobHandler } from '../jobs/job-runner.js';
import { jobParams } from '../jobs/jobs.repo.js';
import { abandonArtifact, getArtifact } from './artifacts.repo.js';
import { checkSourceFile } from './source-check.js';

export interface AddEvidenceParams {
  artifactId: string;
  sourcePath: string;
  mode: 'copy' | 'in-place';
}

/** Removes an unfinished copy: it is not evidence, the source still is. */
function removePartialCopy(session: CaseSession, artifactId: string): void {
  const a = getArtifact(session.db, artifactId);
  if (a.state !== 'pending' || a.storage !== 'copied') return;
  const dest = session.resolve(a.storedPath);
  if (fs.existsSync(dest)) {
    fs.chmodSync(dest, 0o600);
    fs.rmSync(dest, { force: true });
  }
}

export function addEvidenceJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<AddEvidenceParams>(session.db, jobId);
      const artifact = getArtifact(session.db, p.artifactId);
      const size = checkSourceFile(p.sourcePath);
      ctx.progress({ phase: p.mode === 'copy' ? 'copying and hashing' : 'hashing', bytesDone: 0, bytesTotal: size, itemsDone: 0, itemsTotal: 1, message: artifact.name });
      const onProgress = (done: number, total: number) => ctx.progress({ bytesDone: done, bytesTotal: total });
      let result;
      if (p.mode === 'copy') {
        // A resumed job starts over: an earlier partial copy is removed first.
        removePartialCopy(session, p.artifactId);
        const dest = session.resolve(artifact.storedPath);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        result = await copyAndHash(p.sourcePath, dest, { signal: ctx.signal, onProgress });
      } else {
        result = await hashFile(p.sourcePath, { signal: ctx.signal, onProgress });
      }
      const hashes = sealArtifact(session.db, actor(), { ...artifact, sourcePath: p.sourcePath }, result, jobId);
      ctx.progress({ phase: 'done', bytesDone: result.size, itemsDone: 1 });
      return { artifactId: p.artifactId, size: result.size, ...hashes };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<AddEvidenceParams>(session.db, jobId);
      removePartialCopy(session, p.artifactId);
      abandonArtifact(session.db, p.artifactId, outcome === 'failed' ? 'failed' : 'discarded');
    },
  };
}
