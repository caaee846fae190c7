/** The body file operations of the contract (shared/contract-images-bodyfile.ts). */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { imagesBodyfileChannels } from '../shared/contract-images-bodyfile.js';
import { EVIDENCE_DIR } from './core/cases/case-session.js';
import { nowUtc } from './core/custody/custody.repo.js';
import { insertPendingArtifact } from './core/evidence/artifacts.repo.js';
import { bodyfileSourcePath, type BodyfileJobParams } from './core/images/bodyfile/bodyfile.job.js';
import { safeName } from './core/images/export/export-image.job.js';
import { fileSystemOf, imageSession } from './core/images/session/image-sessions.js';
import { insertJob } from './core/jobs/jobs.repo.js';
import { checkIngestable } from './core/logs/ingest/index.js';
import type { CaseDb } from './core/cases/case-db.js';
import type { Handlers } from './handlers.js';

const INDEX_TITLE = 'Index timeline events for text search';

/** The text-index job that follows a timeline load, so text search covers the new rows. */
function insertIndexJob(db: CaseDb): string {
  const indexJobId = randomUUID();
  insertJob(db, { id: indexJobId, kind: 'logs.index', title: INDEX_TITLE, artifactId: null, params: {} });
  return indexJobId;
}

export const imagesBodyfileHandlers: Pick<Handlers, keyof typeof imagesBodyfileChannels> = {
  'images.bodyfile': async (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const s = await imageSession(session, actor, input.artifactId);
    // Refuse a partition without a readable file system now, rather than as a failed job later.
    const { kind } = fileSystemOf(s, input.partition);
    const where = input.partition === null ? 'whole' : `p${input.partition}`;
    const artifactId = randomUUID();
    const name = safeName(`${s.artifact.name}-${where}.body`, 0);
    const params: BodyfileJobParams = { imageArtifactId: s.artifact.id, partition: input.partition, artifactId, addToTimeline: input.addToTimeline };
    const jobId = randomUUID();
    let indexJobId: string | null = null;
    session.db.transaction(() => {
      insertPendingArtifact(session.db, {
        id: artifactId, storage: 'copied', name,
        description: `Body file (TSK format) of ${s.artifact.name}, ${input.partition === null ? 'whole image' : `partition ${input.partition}`} (${kind})`,
        sourcePath: bodyfileSourcePath(s.artifact.id, input.partition), storedPath: path.join(EVIDENCE_DIR, artifactId, name),
        addedBy: actor.examiner, addedAt: nowUtc(),
      });
      insertJob(session.db, { id: jobId, kind: 'images.bodyfile', title: `Body file of ${s.artifact.name} (${where})`, artifactId: s.artifact.id, params });
      if (input.addToTimeline) indexJobId = insertIndexJob(session.db);
    }).immediate();
    runner.enqueue(jobId);
    if (indexJobId) runner.enqueue(indexJobId);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'artifacts' });
    return { jobId, artifactId, indexJobId };
  },
  'timeline.addBodyfile': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const [a] = checkIngestable(session, [input.artifactId]);
    const jobId = randomUUID();
    let indexJobId = '';
    session.db.transaction(() => {
      insertJob(session.db, { id: jobId, kind: 'timeline.add-bodyfile', title: `Add body file to timeline: ${a!.name}`, artifactId: a!.id, params: { artifactId: a!.id } });
      indexJobId = insertIndexJob(session.db);
    }).immediate();
    runner.enqueue(jobId);
    runner.enqueue(indexJobId);
    return { jobId, indexJobId };
  },
};
