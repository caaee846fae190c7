/**
 * Secondary indexes around a bulk load. Maintaining ~11 indexes row by row makes inserts about
 * three times slower than building them afterwards (measured in docs/timeline.md), so a large
 * ingest into a small table drops them first and rebuilds them at the end. The UNIQUE event_id
 * index is never dropped: dedupe depends on it.
 */
import type { CaseDb } from '../../cases/case-db.js';
import { CT_EVENT_INDEXES } from '../../cases/migrations/0020-cloudtrail-events.js';

/** Below this many estimated new events, keeping the indexes costs less than rebuilding them. */
export const BULK_MIN_EVENTS = 50_000;

/** Rough events in a file from its size: CloudTrail records are ~1.5 KB of JSON, gzip ~10:1. */
export function estimateEvents(bytes: number, compressed: boolean): number {
  return Math.round(bytes / (compressed ? 150 : 1500));
}

/**
 * Whether to drop the secondary indexes for this load: rebuilding costs about (existing + new)
 * rows of work, maintaining them about twice the new rows, so it pays when the table is smaller
 * than the load.
 */
export function shouldDropIndexes(existingRows: number, estimatedNew: number): boolean {
  return estimatedNew >= BULK_MIN_EVENTS && existingRows < estimatedNew;
}

export function dropSecondaryIndexes(db: CaseDb): void {
  db.transaction(() => {
    for (const name of Object.keys(CT_EVENT_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  }).immediate();
}

function missingIndexes(db: CaseDb): [string, string][] {
  const have = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ct_events'").pluck().all() as string[]);
  return Object.entries(CT_EVENT_INDEXES).filter(([name]) => !have.has(name));
}

/** Creates whichever secondary indexes are missing (after a bulk load, or a crash during one). */
export function ensureSecondaryIndexes(db: CaseDb): number {
  const missing = missingIndexes(db);
  if (missing.length === 0) return 0;
  db.transaction(() => {
    for (const [name, spec] of missing) db.exec(`CREATE INDEX IF NOT EXISTS ${name} ${spec}`);
  }).immediate();
  return missing.length;
}

/**
 * The same, one index per transaction with the event loop let run in between: a CREATE INDEX
 * blocks the process (~2 s per million rows each), and the main process must stay responsive.
 */
export async function rebuildSecondaryIndexes(db: CaseDb, onIndex?: (done: number, total: number) => void): Promise<number> {
  const missing = missingIndexes(db);
  for (const [i, [name, spec]] of missing.entries()) {
    await new Promise((r) => setImmediate(r));
    if (!db.open) return i;
    db.exec(`CREATE INDEX IF NOT EXISTS ${name} ${spec}`);
    onIndex?.(i + 1, missing.length);
  }
  return missing.length;
}
