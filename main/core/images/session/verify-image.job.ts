/**
 * The images.verify job: checks an E01's media against the MD5/SHA-1 stored inside it (as ewfverify
 * does) and records the outcome in custody. A raw image stores no hashes of its own; the artifact's
 * hashes taken at acquisition are checked by evidence.verify instead.
 */
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import { verifyEwf } from '../containers/ewf-verify.js';
import { imageSession } from './image-sessions.js';

/** What an images.verify job is given. */
export interface VerifyImageParams {
  artifactId: string;
}

/** Job handler for 'images.verify'. */
export function verifyImageJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<VerifyImageParams>(session.db, jobId);
      const s = await imageSession(session, actor(), p.artifactId);
      const { opened } = s;
      let details: Record<string, unknown>;
      if (opened.kind === 'ewf') {
        ctx.progress({ phase: 'verifying', bytesDone: 0, bytesTotal: opened.reader.size, itemsDone: 0, itemsTotal: 1, message: s.artifact.name });
        const r = await verifyEwf(opened.reader, { signal: ctx.signal, onProgress: (done, total) => ctx.progress({ bytesDone: done, bytesTotal: total }) });
        const result = r.ok ? 'match' : r.corruptChunks.length > 0 ? 'corrupt' : r.md5Matches === null && r.sha1Matches === null ? 'no-stored-hashes' : 'mismatch';
        details = {
          container: 'ewf',
          result,
          storedMd5: r.storedMd5 ?? null,
          computedMd5: r.computedMd5,
          md5Matches: r.md5Matches,
          storedSha1: r.storedSha1 ?? null,
          computedSha1: r.computedSha1,
          sha1Matches: r.sha1Matches,
          bytesRead: r.bytesRead,
          corruptChunks: r.corruptChunks.map((c) => ({ chunk: c.chunk, mediaOffset: c.mediaOffset, length: c.length })),
        };
      } else {
        details = {
          container: opened.kind,
          result: 'no-stored-hashes',
          message: 'A raw image stores no hashes of its own; evidence.verify checks the hashes taken when it was added',
        };
      }
      appendEvent(session.db, actor(), { action: 'image.verified', artifactId: p.artifactId, details: { ...details, jobId } });
      ctx.progress({ phase: 'done', itemsDone: 1 });
      return details;
    },
    abandon() {
      // Verification writes nothing but its custody event, which is appended only on success.
    },
  };
}
