/** The custody ledger: append-only, hash-chained events in custody_events. */
import type { CustodyEvent } from '../../../shared/types.js';
import type { CaseDb } from '../cases/case-db.js';
import { canonicalJson, eventHash, GENESIS_HASH } from './canonical.js';

/** Who performs an action, as written into every event. */
export interface Actor {
  examiner: string;
  workstation: string;
}

export interface NewEvent {
  action: string;
  artifactId?: string | null;
  details?: Record<string, unknown>;
}

interface EventRow {
  seq: number;
  at: string;
  examiner: string;
  workstation: string;
  action: string;
  artifact_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** UTC ISO-8601 with milliseconds and Z, the only time format stored. */
export function nowUtc(): string {
  return new Date().toISOString();
}

function toEvent(row: EventRow): CustodyEvent {
  return {
    seq: row.seq,
    at: row.at,
    examiner: row.examiner,
    workstation: row.workstation,
    action: row.action,
    artifactId: row.artifact_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Appends one event. Call inside the same transaction as the change it records; the immediate
 * transaction here also serialises writers from other processes (CLI beside the app).
 */
export function appendEvent(db: CaseDb, actor: Actor, event: NewEvent): CustodyEvent {
  const append = db.transaction((): CustodyEvent => {
    const last = db.prepare('SELECT seq, hash FROM custody_events ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string }
      | undefined;
    const fields = {
      seq: (last?.seq ?? 0) + 1,
      at: nowUtc(),
      examiner: actor.examiner,
      workstation: actor.workstation,
      action: event.action,
      artifactId: event.artifactId ?? null,
      details: canonicalJson(event.details ?? {}),
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    const hash = eventHash(fields);
    db.prepare(
      `INSERT INTO custody_events (seq, at, examiner, workstation, action, artifact_id, details, prev_hash, hash)
       VALUES (@seq, @at, @examiner, @workstation, @action, @artifactId, @details, @prevHash, @hash)`,
    ).run({ ...fields, hash });
    return { ...fields, details: JSON.parse(fields.details) as Record<string, unknown>, hash };
  });
  return db.inTransaction ? append() : append.immediate();
}

/** Events in sequence order, optionally for one artifact. */
export function listEvents(
  db: CaseDb,
  opts: { artifactId?: string; offset?: number; limit?: number } = {},
): { total: number; events: CustodyEvent[] } {
  const where = opts.artifactId ? 'WHERE artifact_id = @artifactId' : '';
  const params = { artifactId: opts.artifactId, offset: opts.offset ?? 0, limit: opts.limit ?? -1 };
  const total = (db.prepare(`SELECT count(*) AS n FROM custody_events ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM custody_events ${where} ORDER BY seq LIMIT @limit OFFSET @offset`)
    .all(params) as EventRow[];
  return { total, events: rows.map(toEvent) };
}

/** Iterates every event in order without holding them all in memory. */
export function* iterateEvents(db: CaseDb): Generator<CustodyEvent & { rawDetails: string }> {
  for (const row of db.prepare('SELECT * FROM custody_events ORDER BY seq').iterate() as IterableIterator<EventRow>) {
    yield { ...toEvent(row), rawDetails: row.details };
  }
}

/** The last event's sequence and hash (seq 0 and the genesis hash for an empty chain). */
export function chainHead(db: CaseDb): { seq: number; hash: string; count: number } {
  const last = db.prepare('SELECT seq, hash FROM custody_events ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const count = (db.prepare('SELECT count(*) AS n FROM custody_events').get() as { n: number }).n;
  return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH, count };
}

/** The most recent event of an action for an artifact, e.g. its latest verification. */
export function lastEventFor(db: CaseDb, artifactId: string, action: string): CustodyEvent | null {
  const row = db
    .prepare('SELECT * FROM custody_events WHERE artifact_id = ? AND action = ? ORDER BY seq DESC LIMIT 1')
    .get(artifactId, action) as EventRow | undefined;
  return row ? toEvent(row) : null;
}
