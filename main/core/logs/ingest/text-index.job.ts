/**
 * The logs.index job: full-text index (FTS5) over the raw records of ct_events. It runs after an
 * ingest, so the timeline is filterable while this is still building. The index is contentless
 * (it stores tokens, not a second copy of every record) and keyed by ct_events.id; rows are
 * never deleted and are indexed in id order, so ct_text_index keeps one number: the highest id
 * indexed, committed with each batch.
 */
import { AppError } from '../../../../shared/errors.js';
import type { CaseDb } from '../../cases/case-db.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, nowUtc, type Actor } from '../../custody/custody.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';

export const FTS_TABLE = 'ct_events_fts';
const BATCH = 5000;

/** How far the full-text index has got: none (never built), partial, or complete. */
export interface TextIndexState {
  state: 'none' | 'partial' | 'complete';
  indexedThroughId: number;
  lastEventId: number;
}

export function textIndexState(db: CaseDb): TextIndexState {
  const last = (db.prepare('SELECT max(id) FROM ct_events').pluck().get() as number | null) ?? 0;
  if (!hasTextIndex(db)) return { state: 'none', indexedThroughId: 0, lastEventId: last };
  const through = (db.prepare('SELECT indexed_through FROM ct_text_index WHERE id = 1').pluck().get() as number | undefined) ?? 0;
  return { state: through >= last ? 'complete' : 'partial', indexedThroughId: through, lastEventId: last };
}

export function hasTextIndex(db: CaseDb): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(FTS_TABLE) !== undefined;
}

function createTextIndex(db: CaseDb): void {
  // Not in a migration: virtual tables (and FTS5's shadow tables) cannot be STRICT.
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${FTS_TABLE} USING fts5(raw, content='', columnsize=0)`);
}

export function textIndexJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const { db } = session;
      const t0 = performance.now();
      db.transaction(() => createTextIndex(db)).immediate();
      const start = textIndexState(db);
      const total = start.lastEventId - start.indexedThroughId;
      const rows = db.prepare('SELECT id, raw FROM ct_events WHERE id > ? ORDER BY id LIMIT ?');
      const insert = db.prepare(`INSERT INTO ${FTS_TABLE} (rowid, raw) VALUES (?, ?)`);
      const mark = db.prepare(
        `INSERT INTO ct_text_index (id, indexed_through, updated_at) VALUES (1, @through, @at)
         ON CONFLICT (id) DO UPDATE SET indexed_through = @through, updated_at = @at`,
      );
      let through = start.indexedThroughId;
      let done = 0;
      ctx.progress({ phase: 'indexing text', itemsDone: 0, itemsTotal: total });
      for (;;) {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', `Text indexing stopped after ${done} events`);
        const batch = rows.all(through, BATCH) as { id: number; raw: string }[];
        if (batch.length === 0) break;
        through = batch[batch.length - 1]!.id;
        db.transaction(() => {
          for (const r of batch) insert.run(r.id, r.raw);
          mark.run({ through, at: nowUtc() });
        }).immediate();
        done += batch.length;
        ctx.progress({ itemsDone: done });
        await new Promise((r) => setImmediate(r));
      }
      const seconds = (performance.now() - t0) / 1000;
      appendEvent(db, actor(), { action: 'logs.indexed', details: { jobId, events: done, indexedThroughId: through, durationMs: Math.round(seconds * 1000) } });
      ctx.progress({ phase: 'done', itemsDone: done });
      return { indexed: done, indexedThroughId: through, seconds };
    },
    abandon() {
      // Each committed batch is a valid prefix of the index; a later run continues from it.
    },
  };
}
