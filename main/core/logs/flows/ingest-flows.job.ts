/**
 * The flows.ingest job: stream VPC flow log artifacts into flow_records in batched transactions,
 * deduplicated by (file SHA-256, line). Each file ends with one 'flows.ingested' custody event,
 * written in the same transaction as its last rows. A file the reader gives up on (truncated
 * gzip, no header) keeps the rows before the error and is reported; the other files still ingest.
 */
import type { Artifact } from '../../../../shared/types.js';
import { AppError, toErrorInfo } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import { artifactFilePath } from '../../evidence/verify-evidence.job.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import { checkIngestable } from '../ingest/ingest-logs.job.js';
import { FlowStore } from './flow-store.js';
import { readFlowFile, type FlowItem, type FlowSkip } from './read-flow-file.js';

export interface IngestFlowsParams {
  artifactIds: string[];
}

/** What happened to one file; the same object goes to the job result and to custody. */
export interface FlowFileIngest {
  artifactId: string;
  name: string;
  sha256: string;
  /** complete: read to the end; partial: the reader stopped at an error; stopped: cancelled. */
  status: 'complete' | 'partial' | 'stopped';
  fields: string[] | null;
  records: number;
  inserted: number;
  duplicates: number;
  skipped: number;
  skippedByCode: Record<string, number>;
  skips: FlowSkip[];
  error: { code: string; message: string } | null;
}

export const FLOW_BATCH_ROWS = 5000;
const SKIPS_IN_CUSTODY = 20;

/** Refuses unknown, unfinished or unhashed artifacts before any work starts. */
export function checkFlowsIngestable(session: CaseSession, artifactIds: string[]): Artifact[] {
  return checkIngestable(session, artifactIds);
}

export function ingestFlowsJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const { artifactIds } = jobParams<IngestFlowsParams>(session.db, jobId);
      const artifacts = checkFlowsIngestable(session, artifactIds);
      const bytesTotal = artifacts.reduce((n, a) => n + (a.size ?? 0), 0);
      const store = new FlowStore(session.db);
      const t0 = performance.now();
      const files: FlowFileIngest[] = [];
      let bytesBase = 0;
      let recordsAll = 0;
      ctx.progress({ phase: 'ingesting', bytesDone: 0, bytesTotal, itemsDone: 0, itemsTotal: null });
      for (const a of artifacts) {
        const f = await ingestFile(session, store, a, jobId, actor, ctx, (bytes, records) =>
          ctx.progress({ bytesDone: bytesBase + bytes, itemsDone: recordsAll + records, message: a.name }),
        );
        files.push(f);
        bytesBase += a.size ?? 0;
        recordsAll += f.records;
      }
      session.db.exec('PRAGMA analysis_limit = 1000; ANALYZE flow_records;');
      const sum = (k: 'records' | 'inserted' | 'duplicates' | 'skipped') => files.reduce((n, f) => n + f[k], 0);
      const failed = files.filter((f) => f.status !== 'complete');
      if (failed.length === files.length && sum('inserted') === 0 && sum('duplicates') === 0) {
        throw new AppError('INVALID_INPUT', `No file could be ingested: ${failed.map((f) => `${f.name}: ${f.error?.message}`).join('; ')}`);
      }
      ctx.progress({ phase: 'done', bytesDone: bytesTotal, itemsDone: recordsAll });
      const seconds = (performance.now() - t0) / 1000;
      return {
        files,
        totals: { files: files.length, records: sum('records'), inserted: sum('inserted'), duplicates: sum('duplicates'), skipped: sum('skipped') },
        problems: failed.length,
        seconds,
      };
    },
    abandon() {
      // Committed rows stay: each file's custody event accounts for them, and re-ingesting counts them as duplicates.
    },
  };
}

async function ingestFile(
  session: CaseSession,
  store: FlowStore,
  a: Artifact,
  jobId: string,
  actor: () => Actor,
  ctx: JobContext,
  progress: (bytes: number, records: number) => void,
): Promise<FlowFileIngest> {
  const { db } = session;
  const sha256 = a.hashes!.sha256;
  const f: FlowFileIngest = {
    artifactId: a.id, name: a.name, sha256, status: 'complete', fields: null, records: 0, inserted: 0, duplicates: 0,
    skipped: 0, skippedByCode: {}, skips: [], error: null,
  };
  const src = { artifactId: a.id, sha256, jobId };
  let batch: FlowItem[] = [];
  const add = (o: { inserted: number; duplicates: number }) => {
    f.inserted += o.inserted;
    f.duplicates += o.duplicates;
  };
  let thrown: unknown = null;
  let reader: ReturnType<typeof readFlowFile> | null = null;
  try {
    reader = readFlowFile(artifactFilePath(session, a), { signal: ctx.signal });
    for await (const item of reader) {
      batch.push(item);
      if (batch.length >= FLOW_BATCH_ROWS) {
        const rows = batch;
        batch = [];
        add(db.transaction(() => store.write(rows, src)).immediate());
        progress(reader.summary.bytesRead, reader.summary.records);
        // Let the event loop deliver cancellation and progress between batches.
        await new Promise((r) => setImmediate(r));
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Ingest stopped');
      }
    }
  } catch (err) {
    thrown = err;
    f.status = ctx.signal.aborted ? 'stopped' : 'partial';
    f.error = toErrorInfo(err);
  }
  const s = reader?.summary;
  f.fields = s?.header ?? null;
  f.records = s?.records ?? 0;
  f.skipped = s?.skipped ?? 0;
  f.skippedByCode = { ...s?.skippedByCode } as Record<string, number>;
  f.skips = s?.skips.slice(0, SKIPS_IN_CUSTODY) ?? [];
  db.transaction(() => {
    // Records read into an unfinished batch before a cancellation are not stored.
    if (f.status !== 'stopped') add(store.write(batch, src));
    else f.records -= batch.length;
    appendEvent(db, actor(), { action: 'flows.ingested', artifactId: a.id, details: { jobId, ...f } });
  }).immediate();
  progress(s?.bytesRead ?? 0, f.records);
  if (f.status === 'stopped') throw thrown;
  return f;
}
