/**
 * The case database schema: what a new case gets, each migration on an empty database, and the
 * guarantees of migrating (one transaction, user_version as the record).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openCaseDb } from '../../main/core/cases/case-db.js';
import { migrations, SCHEMA_VERSION } from '../../main/core/cases/migrations/index.js';
import * as m0010 from '../../main/core/cases/migrations/0010-initial-schema.js';
import { startHarness, tempDir, removeTree, type Harness } from '../support/app-harness.js';

type Db = Database.Database;

function names(db: Db, type: 'table' | 'trigger' | 'index'): string[] {
  return db.prepare("SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all(type) as string[];
}

describe('a new case database', () => {
  let h: Harness;
  let dbFile: string;
  beforeEach(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-SCHEMA', title: 'Schema' });
    dbFile = path.join(c.path, 'case.sqlite');
    await h.call('cases.close', { caseId: c.id });
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('records the schema version, the Caseward application id, WAL, and STRICT tables', () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(0x43535744);
      expect(APPLICATION_ID).toBe(0x43535744);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
      expect(tables.length).toBeGreaterThanOrEqual(6);
      for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT\s*$/);
    } finally {
      db.close();
    }
  });

  it('is opened with foreign keys enforced', () => {
    const db = openCaseDb(dbFile);
    try {
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(() =>
        db.prepare("INSERT INTO notes (id, artifact_id, created_at, created_by) VALUES ('n1', 'no-such-artifact', 'x', 'y')").run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });
});

describe('migration 0010 (initial schema) on an empty database', () => {
  let db: Db;
  beforeEach(() => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    m0010.up(db);
  });
  afterEach(() => db.close());

  it('creates the tables, the append-only triggers and the indexes', () => {
    expect(names(db, 'table')).toEqual(['artifacts', 'case_info', 'custody_events', 'jobs', 'note_revisions', 'notes']);
    expect(names(db, 'trigger')).toEqual([
      'artifacts_final', 'artifacts_no_delete',
      'case_info_no_delete', 'case_info_no_update',
      'custody_events_no_delete', 'custody_events_no_update',
      'note_revisions_no_delete', 'note_revisions_no_update',
      'notes_no_delete', 'notes_no_update',
    ]);
    expect(names(db, 'index')).toEqual(expect.arrayContaining(['custody_events_by_artifact', 'jobs_by_state', 'notes_by_artifact']));
  });

  it('makes custody events append-only and completed artifacts immutable', () => {
    db.prepare("INSERT INTO custody_events (seq, at, examiner, workstation, action, details, prev_hash, hash) VALUES (1, 't', 'e', 'w', 'a', '{}', 'p', 'h')").run();
    expect(() => db.prepare("UPDATE custody_events SET action = 'b'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM custody_events').run()).toThrow(/append-only/);
    db.prepare(
      `INSERT INTO artifacts (id, kind, state, storage, name, description, source_path, stored_path, added_by, added_at)
       VALUES ('a1', 'file', 'pending', 'copied', 'n', '', 's', 'd', 'e', 't')`,
    ).run();
    db.prepare("UPDATE artifacts SET state = 'complete', sha256 = 'x' WHERE id = 'a1'").run();
    expect(() => db.prepare("UPDATE artifacts SET sha256 = 'y' WHERE id = 'a1'").run()).toThrow(/immutable/);
    expect(() => db.prepare("DELETE FROM artifacts WHERE id = 'a1'").run()).toThrow(/never deleted/);
    expect(() => db.prepare("UPDATE artifacts SET state = 'bogus' WHERE id = 'a1'").run()).toThrow();
  });

  it("finds an artifact's custody events through the index, not a table scan", () => {
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM custody_events WHERE artifact_id = ? ORDER BY seq').all('a1') as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX custody_events_by_artifact/);
  });
});

describe('migrating', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('caseward-migrate-');
  });
  afterEach(() => removeTree(dir));

  /** A version-0 Caseward database: the application id is set, no schema yet. */
  function v0(): string {
    const file = path.join(dir, 'case.sqlite');
    const db = new Database(file);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.close();
    return file;
  }

  it('brings a version-0 case database up to the current schema', () => {
    const db = openCaseDb(v0());
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(names(db, 'table')).toContain('custody_events');
    } finally {
      db.close();
    }
  });

  it('applies all pending migrations in one transaction: a failing one leaves version 0 and no tables', () => {
    const file = v0();
    migrations.push({ version: SCHEMA_VERSION + 10, up: () => { throw new Error('migration exploded'); } });
    try {
      expect(() => openCaseDb(file)).toThrow(/migration exploded/);
    } finally {
      migrations.pop();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(0);
      expect(names(db, 'table')).toEqual([]);
    } finally {
      db.close();
    }
    expect(fs.existsSync(file)).toBe(true);
  });

  it('versions step by ten, in order', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => (i + 1) * 10));
    expect(SCHEMA_VERSION).toBe(migrations.at(-1)!.version);
  });
});
