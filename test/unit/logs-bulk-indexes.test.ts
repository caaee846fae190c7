/** Dropping and restoring ct_events' secondary indexes around a bulk load. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as m0010 from '../../main/core/cases/migrations/0010-initial-schema.js';
import * as m0020 from '../../main/core/cases/migrations/0020-cloudtrail-events.js';
import {
  BULK_MIN_EVENTS, dropSecondaryIndexes, ensureSecondaryIndexes, estimateEvents, rebuildSecondaryIndexes, shouldDropIndexes,
} from '../../main/core/logs/ingest/bulk-indexes.js';

const indexNames = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ct_events' ORDER BY name").pluck().all() as string[]);

describe('bulk-load indexes', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    m0010.up(db);
    m0020.up(db);
  });
  afterEach(() => db.close());

  it('drops every secondary index but keeps the unique event id index, and restores them all', async () => {
    const all = indexNames(db);
    expect(all).toEqual(expect.arrayContaining(Object.keys(m0020.CT_EVENT_INDEXES)));
    dropSecondaryIndexes(db);
    const left = indexNames(db);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^sqlite_autoindex_ct_events/);
    expect(ensureSecondaryIndexes(db)).toBe(Object.keys(m0020.CT_EVENT_INDEXES).length);
    expect(indexNames(db)).toEqual(all);
    expect(ensureSecondaryIndexes(db)).toBe(0);
    dropSecondaryIndexes(db);
    const seen: number[] = [];
    expect(await rebuildSecondaryIndexes(db, (done) => seen.push(done))).toBe(seen.length);
    expect(seen).toEqual(Object.keys(m0020.CT_EVENT_INDEXES).map((_, i) => i + 1));
    expect(indexNames(db)).toEqual(all);
  });

  it('drops only for a load that is large and bigger than the table', () => {
    expect(shouldDropIndexes(0, BULK_MIN_EVENTS - 1)).toBe(false);
    expect(shouldDropIndexes(0, BULK_MIN_EVENTS)).toBe(true);
    expect(shouldDropIndexes(1_000_000, 200_000)).toBe(false);
    expect(shouldDropIndexes(100_000, 200_000)).toBe(true);
    expect(estimateEvents(150_000, true)).toBe(1000);
    expect(estimateEvents(1_500_000, false)).toBe(1000);
  });
});
