/** Timeline filters → SQL: cursors, FTS phrase quoting, and text search before the index exists. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as m0010 from '../../main/core/cases/migrations/0010-initial-schema.js';
import * as m0020 from '../../main/core/cases/migrations/0020-cloudtrail-events.js';
import { buildWhere, decodeCursor, encodeCursor, ftsPhrase } from '../../main/core/logs/timeline/index.js';

describe('timeline filters', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = new Database(':memory:');
    m0010.up(db);
    m0020.up(db);
  });
  afterEach(() => db.close());

  it('round-trips a cursor and refuses anything else', () => {
    expect(decodeCursor(encodeCursor('2026-03-01T00:00:01.123Z', 42))).toEqual({ time: '2026-03-01T00:00:01.123Z', id: 42 });
    for (const bad of ['', 'x|1', '2026-03-01T00:00:01Z|1', '2026-03-01T00:00:01.123Z|', '2026-03-01T00:00:01.123Z|1; DROP']) {
      expect(() => decodeCursor(bad)).toThrow(/cursor/);
    }
  });

  it('normalises time bounds to the stored UTC form', () => {
    const w = buildWhere(db, { from: '2026-03-01T02:00:00+02:00', to: '2026-03-01T01:00:00.5Z' });
    expect(Object.values(w.params)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-01T01:00:00.500Z']);
  });

  it('passes only parameters into SQL, never values', () => {
    const w = buildWhere(db, { eventName: ["x') OR 1=1 --"], sourceIp: ['1.2.3.4'], errorCode: 'any', readOnly: true, userAgentPrefix: 'aws-cli' });
    expect(w.sql).not.toContain('OR 1=1');
    expect(w.sql).toContain('error_code IS NOT NULL');
    expect(() => db.prepare(`SELECT count(*) FROM ct_events ${w.sql}`).get(w.params)).not.toThrow();
  });

  it('matches event ids as one JSON parameter, quotes and all, against the UNIQUE event_id index', () => {
    const ins = db.prepare(`INSERT INTO ct_events (event_time, event_source, event_name, event_id, resources, raw, source_artifact_id, source_sha256, source_offset, ingest_job_id)
      VALUES ('2026-03-01T00:00:00.000Z', 's', 'n', ?, '[]', '{}', 'a', 'x', 0, 'j')`);
    db.pragma('foreign_keys = OFF');
    for (const id of ['a', "b') OR 1=1 --", 'c"d', 'sha256:00ff']) ins.run(id);
    const w = buildWhere(db, { eventIds: ["b') OR 1=1 --", 'c"d', 'sha256:00ff', 'absent'] });
    expect(Object.keys(w.params)).toHaveLength(1);
    expect(w.sql).not.toContain('OR 1=1');
    expect(db.prepare(`SELECT event_id FROM ct_events ${w.sql} ORDER BY id`).pluck().all(w.params)).toEqual(["b') OR 1=1 --", 'c"d', 'sha256:00ff']);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ct_events ${w.sql}`).all(w.params) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH ct_events USING INDEX sqlite_autoindex_ct_events_1 \(event_id=\?\)/);
  });

  it('refuses a text filter until the full-text index exists, then treats the text as a phrase', () => {
    expect(() => buildWhere(db, { text: 'StopLogging' })).toThrow(/full-text index has not been built/);
    db.exec("CREATE VIRTUAL TABLE ct_events_fts USING fts5(raw, content='', columnsize=0)");
    db.prepare('INSERT INTO ct_events_fts (rowid, raw) VALUES (1, ?)').run('{"name":"trail-a \\"quoted\\" NEAR(x)"}');
    expect(ftsPhrase('a "b" c')).toBe('"a ""b"" c"');
    for (const text of ['"quoted" NEAR(x)', 'trail-a', 'OR AND NOT', '*', 'x"']) {
      const w = buildWhere(db, { text });
      expect(() => db.prepare(`SELECT rowid FROM ct_events_fts WHERE ct_events_fts MATCH @p0`).all(w.params)).not.toThrow();
    }
    const hits = db.prepare('SELECT rowid FROM ct_events_fts WHERE ct_events_fts MATCH ?').pluck().all(ftsPhrase('trail-a'));
    expect(hits).toEqual([1]);
  });
});
