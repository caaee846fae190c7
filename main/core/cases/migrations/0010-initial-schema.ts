/** Version 10: cases, artifacts, custody chain, notes with revisions, jobs. */
import type { Database } from 'better-sqlite3';

/** Refuses UPDATE and DELETE on a table whose rows are evidence. */
function appendOnly(table: string): string {
  return `
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} rows are append-only'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} rows are append-only'); END;`;
}

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE case_info (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL,
      title TEXT NOT NULL,
      client TEXT NOT NULL,
      description TEXT NOT NULL,
      examiner TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_with TEXT NOT NULL
    ) STRICT;
    ${appendOnly('case_info')}

    CREATE TABLE artifacts (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('file')),
      state TEXT NOT NULL CHECK (state IN ('pending', 'complete', 'failed', 'discarded')),
      storage TEXT NOT NULL CHECK (storage IN ('copied', 'in-place')),
      name TEXT NOT NULL,
      description TEXT NOT NULL,
      source_path TEXT NOT NULL,
      stored_path TEXT NOT NULL,
      size INTEGER,
      md5 TEXT,
      sha1 TEXT,
      sha256 TEXT,
      added_by TEXT NOT NULL,
      added_at TEXT NOT NULL,
      hashed_at TEXT
    ) STRICT;
    -- A pending artifact may be completed or abandoned once; after that its row is evidence.
    CREATE TRIGGER artifacts_final BEFORE UPDATE ON artifacts WHEN OLD.state <> 'pending'
      BEGIN SELECT RAISE(ABORT, 'artifact rows are immutable once complete'); END;
    CREATE TRIGGER artifacts_no_delete BEFORE DELETE ON artifacts
      BEGIN SELECT RAISE(ABORT, 'artifact rows are never deleted'); END;

    CREATE TABLE custody_events (
      seq INTEGER PRIMARY KEY CHECK (seq >= 1),
      at TEXT NOT NULL,
      examiner TEXT NOT NULL,
      workstation TEXT NOT NULL,
      action TEXT NOT NULL,
      artifact_id TEXT REFERENCES artifacts(id),
      details TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE INDEX custody_events_by_artifact ON custody_events(artifact_id, seq);
    ${appendOnly('custody_events')}

    CREATE TABLE notes (
      id TEXT PRIMARY KEY,
      artifact_id TEXT REFERENCES artifacts(id),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    ) STRICT;
    CREATE INDEX notes_by_artifact ON notes(artifact_id);
    ${appendOnly('notes')}

    CREATE TABLE note_revisions (
      note_id TEXT NOT NULL REFERENCES notes(id),
      revision INTEGER NOT NULL CHECK (revision >= 1),
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      author TEXT NOT NULL,
      at TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      PRIMARY KEY (note_id, revision)
    ) STRICT;
    ${appendOnly('note_revisions')}

    -- Jobs are operational state, not evidence: they change as work proceeds.
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      title TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'discarded')),
      artifact_id TEXT REFERENCES artifacts(id),
      params TEXT NOT NULL,
      progress TEXT,
      result TEXT,
      error TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX jobs_by_state ON jobs(state);
  `);
}
