/**
 * Merging a body file artifact into the case timeline (ct_events), and the timeline.add-bodyfile job.
 * The artifact may be one Caseward made (images.bodyfile) or one made elsewhere (`fls -m`) and added as
 * evidence. Rows are written in batched transactions with INSERT OR IGNORE on a stable key, so a
 * repeated or resumed merge stores nothing twice; one 'timeline.bodyfile-added' custody event (in the
 * same transaction as the last rows) carries the counts.
 */
import { createReadStream } from 'node:fs';
import type { Artifact } from '../../../../shared/types.js';
import { AppError, toErrorInfo } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import { artifactFilePath } from '../../evidence/verify-evidence.job.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import { parseBodyfileLine, type BodyfileRecord } from '../../images/bodyfile/bodyfile-line.js';
import { BodyfileEventStore, LineSplitter, type BodyfileBatchOutcome, type BodyfileSkip } from './bodyfile-events.js';
import { dropSecondaryIndexes, ensureSecondaryIndexes, rebuildSecondaryIndexes, shouldDropIndexes } from './bulk-indexes.js';
import { checkIngestable } from './ingest-logs.job.js';

/** What a timeline.add-bodyfile job is given. */
export interface AddBodyfileParams {
  artifactId: string;
}

/** What one merge did; the same object goes to the job result and to custody. */
export interface BodyfileMerge {
  artifactId: string;
  name: string;
  sha256: string;
  status: 'complete' | 'stopped';
  lines: number;
  records: number;
  events: number;
  inserted: number;
  duplicates: number;
  skipped: number;
  /** The first skipped lines with byte offset and reason; `skipped` counts all of them. */
  skips: BodyfileSkip[];
  error: { code: string; message: string } | null;
}

const BATCH_LINES = 4000;
const SKIPS_KEPT = 20;
// About 100 bytes per line and 1.5 distinct times per file: used only to decide on dropping indexes.
const BYTES_PER_EVENT = 70;

/** Streams a complete, hashed body file artifact into ct_events. Cancellation stops at a batch boundary. */
export async function mergeBodyfile(session: CaseSession, actor: Actor, a: Artifact, jobId: string, ctx: Pick<JobContext, 'signal' | 'progress'>): Promise<BodyfileMerge> {
  if (a.state !== 'complete' || !a.hashes) throw new AppError('INVALID_INPUT', `Artifact ${a.name} is ${a.state}; only complete, hashed evidence can be added to the timeline`);
  const { db } = session;
  const sha256 = a.hashes.sha256;
  const m: BodyfileMerge = {
    artifactId: a.id, name: a.name, sha256, status: 'complete', lines: 0, records: 0, events: 0, inserted: 0, duplicates: 0, skipped: 0, skips: [], error: null,
  };
  const existing = (db.prepare('SELECT max(id) FROM ct_events').pluck().get() as number | null) ?? 0;
  if (shouldDropIndexes(existing, Math.round((a.size ?? 0) / BYTES_PER_EVENT))) dropSecondaryIndexes(db);
  const store = new BodyfileEventStore(db);
  const src = { artifactId: a.id, sha256, jobId };
  const add = (o: BodyfileBatchOutcome): void => {
    m.events += o.events;
    m.inserted += o.inserted;
    m.duplicates += o.duplicates;
  };
  let batch: { line: string; offset: number; record: BodyfileRecord }[] = [];
  const splitter = new LineSplitter((line, offset) => {
    m.lines++;
    const r = parseBodyfileLine(line);
    if ('error' in r) {
      m.skipped++;
      if (m.skips.length < SKIPS_KEPT) m.skips.push({ offset, reason: r.error });
      return;
    }
    m.records++;
    batch.push({ line, offset, record: r });
  });
  let bytes = 0;
  ctx.progress({ phase: 'adding to timeline', bytesDone: 0, bytesTotal: a.size ?? null, itemsDone: 0, itemsTotal: null });
  let thrown: unknown = null;
  try {
    for await (const chunk of createReadStream(artifactFilePath(session, a), { highWaterMark: 1 << 20 })) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', `Adding ${a.name} to the timeline was cancelled`);
      splitter.push(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      if (batch.length >= BATCH_LINES) {
        const rows = batch;
        batch = [];
        add(db.transaction(() => store.write(rows, src)).immediate());
        ctx.progress({ bytesDone: bytes, itemsDone: m.events, message: a.name });
        // Let cancellation and progress through between batches.
        await new Promise((r) => setImmediate(r));
      }
    }
    splitter.end();
  } catch (err) {
    thrown = err;
    m.status = 'stopped';
    m.error = toErrorInfo(err);
  } finally {
    if (db.open) await rebuildSecondaryIndexes(db);
  }
  db.transaction(() => {
    // Lines read into the unfinished batch of a stopped merge are not stored and not counted.
    if (m.status === 'complete') add(store.write(batch, src));
    else m.records -= batch.length;
    appendEvent(db, actor, { action: 'timeline.bodyfile-added', artifactId: a.id, details: { jobId, ...m } });
  }).immediate();
  if (thrown) throw thrown;
  if (m.records === 0 && m.skipped > 0) {
    throw new AppError('INVALID_INPUT', `${a.name} holds no body file lines (${m.skipped} skipped; first at byte ${m.skips[0]!.offset}: ${m.skips[0]!.reason})`);
  }
  db.exec('PRAGMA analysis_limit = 1000; ANALYZE ct_events;');
  ctx.progress({ phase: 'done', bytesDone: bytes, itemsDone: m.events });
  return m;
}

/** Job handler for 'timeline.add-bodyfile'. */
export function addBodyfileJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const { artifactId } = jobParams<AddBodyfileParams>(session.db, jobId);
      const [a] = checkIngestable(session, [artifactId]);
      return { ...(await mergeBodyfile(session, actor(), a!, jobId, ctx)) };
    },
    abandon(session: CaseSession) {
      // Committed rows stay (append-only, accounted for by the custody event); indexes come back.
      ensureSecondaryIndexes(session.db);
    },
  };
}
