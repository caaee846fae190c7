/**
 * The logs.ingest job: stream CloudTrail log file artifacts into ct_events, deduplicated by
 * event id, in batched transactions. Each file ends with one 'logs.ingested' custody event
 * (written in the same transaction as its last rows) carrying its counts and sha256. A file the
 * reader gives up on is reported with its error while the other files still ingest.
 */
import type { Artifact } from '../../../../shared/types.js';
import { AppError } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import { getArtifact } from '../../evidence/artifacts.repo.js';
import { artifactFilePath } from '../../evidence/verify-evidence.job.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { SkipDetail } from '../cloudtrail/index.js';
import { dropSecondaryIndexes, ensureSecondaryIndexes, estimateEvents, rebuildSecondaryIndexes, shouldDropIndexes } from './bulk-indexes.js';
import { EventStore, type BatchOutcome } from './event-store.js';
import type { ParseMessage } from './parse-files.js';
import { openParseFeed, type ParseFeed } from './parse-feed.js';

export interface IngestLogsParams {
  artifactIds: string[];
}

/** What happened to one file; the same object goes to the job result and to custody. */
export interface FileIngest {
  artifactId: string;
  name: string;
  sha256: string;
  /** complete: read to the end; partial: the reader stopped at an error (rows before it kept); stopped: cancelled or interrupted. */
  status: 'complete' | 'partial' | 'stopped';
  records: number;
  inserted: number;
  duplicates: number;
  duplicatesFromSameArtifact: number;
  skipped: number;
  skippedByCode: Record<string, number>;
  /** The first few skips with offset and reason; `skipped` counts all of them. */
  skips: SkipDetail[];
  error: { code: string; message: string } | null;
}

export const BATCH_ROWS = 5000;
/**
 * Page cache of the connection while rows are inserted (KiB): the UNIQUE event_id index takes
 * random inserts, and with SQLite's default 2 MiB cache most of them re-read pages (measured: 15%
 * less insert CPU at 200,000 events). It is put back before the index builds, which run slower
 * with a large cache (the sorter then sorts one big in-memory list).
 */
const LOAD_CACHE_KIB = 64 * 1024;
const SKIPS_IN_CUSTODY = 20;

/** Refuses what cannot be ingested before any work starts: unknown, unfinished or unhashed artifacts. */
export function checkIngestable(session: CaseSession, artifactIds: string[]): Artifact[] {
  return artifactIds.map((id) => {
    const a = getArtifact(session.db, id);
    if (a.state !== 'complete' || !a.hashes) {
      throw new AppError('INVALID_INPUT', `Artifact ${a.name} is ${a.state}; only complete, hashed evidence can be ingested`);
    }
    return a;
  });
}

export function ingestLogsJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const { artifactIds } = jobParams<IngestLogsParams>(session.db, jobId);
      const artifacts = checkIngestable(session, artifactIds);
      const bytesTotal = artifacts.reduce((n, a) => n + (a.size ?? 0), 0);
      const { db } = session;
      const existing = (db.prepare('SELECT max(id) FROM ct_events').pluck().get() as number | null) ?? 0;
      const estimated = artifacts.reduce((n, a) => n + estimateEvents(a.size ?? 0, /\.gz$/i.test(a.name)), 0);
      const bulk = shouldDropIndexes(existing, estimated);
      if (bulk) dropSecondaryIndexes(db);
      const store = new EventStore(db);
      const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
      db.pragma(`cache_size = ${-LOAD_CACHE_KIB}`);
      const feed = openParseFeed(artifacts.map((a) => artifactFilePath(session, a)), BATCH_ROWS, ctx.signal);
      const t0 = performance.now();
      const files: FileIngest[] = [];
      let bytesBase = 0;
      let recordsAll = 0;
      let indexSeconds: number;
      ctx.progress({ phase: 'ingesting', bytesDone: 0, bytesTotal, itemsDone: 0, itemsTotal: null });
      try {
        for (const a of artifacts) {
          const f = await ingestFile(session, store, feed, a, jobId, actor, ctx, (bytes, records) =>
            ctx.progress({ bytesDone: bytesBase + bytes, itemsDone: recordsAll + records, message: a.name }),
          );
          files.push(f);
          bytesBase += a.size ?? 0;
          recordsAll += f.records;
        }
      } finally {
        await feed.close();
        if (db.open) db.pragma(`cache_size = ${cacheBefore}`);
        // Also after a cancel or shutdown: the timeline is never left without its indexes.
        const t1 = performance.now();
        if (db.open) {
          await rebuildSecondaryIndexes(db, (done, total) => ctx.progress({ phase: 'building indexes', message: `${done} of ${total}` }));
        }
        indexSeconds = (performance.now() - t1) / 1000;
      }
      session.db.exec('PRAGMA analysis_limit = 1000; ANALYZE ct_events;');
      const seconds = (performance.now() - t0) / 1000;
      const sum = (k: 'records' | 'inserted' | 'duplicates' | 'skipped') => files.reduce((n, f) => n + f[k], 0);
      const failed = files.filter((f) => f.status !== 'complete');
      if (failed.length === files.length && sum('inserted') === 0) {
        throw new AppError('INVALID_INPUT', `No file could be ingested: ${failed.map((f) => `${f.name}: ${f.error?.message}`).join('; ')}`);
      }
      ctx.progress({ phase: 'done', bytesDone: bytesTotal, itemsDone: recordsAll });
      return {
        files,
        totals: { files: files.length, records: sum('records'), inserted: sum('inserted'), duplicates: sum('duplicates'), skipped: sum('skipped') },
        problems: failed.length,
        indexes: bulk ? 'rebuilt after load' : 'kept during load',
        parser: feed.threaded ? 'worker thread' : 'inline',
        indexSeconds,
        seconds,
        eventsPerSecond: Math.round(sum('records') / Math.max(seconds, 1e-6)),
      };
    },
    abandon(session: CaseSession) {
      // Rows already committed stay: each file's custody event (status stopped) accounts for
      // them, and a repeated ingest counts them as duplicates instead of storing them twice.
      // A job discarded after a crash may have left the indexes dropped.
      ensureSecondaryIndexes(session.db);
    },
  };
}

async function ingestFile(
  session: CaseSession,
  store: EventStore,
  feed: ParseFeed,
  a: Artifact,
  jobId: string,
  actor: () => Actor,
  ctx: JobContext,
  progress: (bytes: number, records: number) => void,
): Promise<FileIngest> {
  const { db } = session;
  const sha256 = a.hashes!.sha256;
  const f: FileIngest = {
    artifactId: a.id, name: a.name, sha256, status: 'complete', records: 0, inserted: 0, duplicates: 0,
    duplicatesFromSameArtifact: 0, skipped: 0, skippedByCode: {}, skips: [], error: null,
  };
  const src = { artifactId: a.id, sha256, jobId };
  const add = (o: BatchOutcome) => {
    f.inserted += o.inserted;
    f.duplicates += o.duplicates;
    f.duplicatesFromSameArtifact += o.duplicatesFromSameArtifact;
  };
  // Records of committed batches: what a stopped file accounts for.
  let committed = 0;
  let bytes = 0;
  let end: Extract<ParseMessage, { type: 'end' }> | null = null;
  while (!end) {
    const m = await feed.next();
    // The job ends at a batch boundary: after a cancel nothing more is stored (the parser may be ahead).
    if (m.type === 'batch' && !ctx.signal.aborted) {
      add(db.transaction(() => store.writeRows(m.rows, src)).immediate());
      committed = m.records;
      bytes = m.bytesRead;
      progress(bytes, committed);
      // Let the event loop deliver cancellation and progress between batches.
      await new Promise((r) => setImmediate(r));
    }
    if (m.type === 'end') end = m;
    feed.ack();
  }
  const s = end.summary;
  f.records = s.records;
  f.skipped = s.skipped;
  f.skippedByCode = { ...s.skippedByCode } as Record<string, number>;
  f.skips = s.skips.slice(0, SKIPS_IN_CUSTODY);
  if (ctx.signal.aborted) {
    // Records read past the last committed batch are not stored and not counted.
    f.status = 'stopped';
    f.records = committed;
    f.error = end.error?.code === 'CANCELLED' ? end.error : { code: 'CANCELLED', message: `Reading ${s.path} was cancelled after ${committed} records.` };
  } else if (end.error) {
    f.status = 'partial';
    f.error = end.error;
  }
  db.transaction(() => {
    if (f.status !== 'stopped') add(store.writeRows(end.rows, src));
    appendEvent(db, actor(), { action: 'logs.ingested', artifactId: a.id, details: { jobId, ...f } });
  }).immediate();
  progress(f.status === 'stopped' ? bytes : s.bytesRead, f.records);
  if (f.status === 'stopped') throw new AppError('CANCELLED', f.error!.message);
  return f;
}
