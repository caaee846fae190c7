/**
 * Version 20: CloudTrail events ingested from log file artifacts (the timeline). The full-text
 * index over the raw records is not created here: a virtual table cannot be STRICT, and it is
 * built by its own job (logs.index) after ingest, see docs/timeline.md.
 */
import type { Database } from 'better-sqlite3';

/**
 * Secondary indexes of ct_events. Each filter's column leads, then (event_time, id) so a single
 * value comes out already in timeline order (keyset pagination needs no sort). Columns that are
 * mostly NULL get partial indexes: smaller, and cheaper to maintain during a bulk load.
 */
export const CT_EVENT_INDEXES: Record<string, string> = {
  ct_events_by_time: 'ON ct_events(event_time, id)',
  ct_events_by_source: 'ON ct_events(event_source, event_time, id)',
  ct_events_by_name: 'ON ct_events(event_name, event_time, id)',
  ct_events_by_identity: 'ON ct_events(identity_arn, event_time, id) WHERE identity_arn IS NOT NULL',
  ct_events_by_key: 'ON ct_events(access_key_id, event_time, id) WHERE access_key_id IS NOT NULL',
  ct_events_by_ip: 'ON ct_events(source_ip, event_time, id)',
  ct_events_by_region: 'ON ct_events(aws_region, event_time, id)',
  ct_events_by_account: 'ON ct_events(account_id, event_time, id)',
  ct_events_by_error: 'ON ct_events(error_code, event_time, id) WHERE error_code IS NOT NULL',
  ct_events_by_read_only: 'ON ct_events(read_only, event_time, id)',
  ct_events_by_agent: 'ON ct_events(user_agent)',
};

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE ct_events (
      id INTEGER PRIMARY KEY,
      event_time TEXT NOT NULL,
      event_source TEXT NOT NULL,
      event_name TEXT NOT NULL,
      aws_region TEXT,
      account_id TEXT,
      identity_type TEXT,
      identity_arn TEXT,
      access_key_id TEXT,
      principal_id TEXT,
      user_name TEXT,
      actor TEXT,
      session_issuer_arn TEXT,
      mfa_authenticated INTEGER CHECK (mfa_authenticated IN (0, 1)),
      source_ip TEXT,
      user_agent TEXT,
      error_code TEXT,
      error_message TEXT,
      read_only INTEGER CHECK (read_only IN (0, 1)),
      event_type TEXT,
      event_category TEXT,
      request_id TEXT,
      -- Dedupe key: CloudTrail's eventID, or sha256:<hex of the raw record> when it has none.
      event_id TEXT NOT NULL UNIQUE,
      resources TEXT NOT NULL,
      request_parameters TEXT,
      response_elements TEXT,
      additional_event_data TEXT,
      raw TEXT NOT NULL,
      source_artifact_id TEXT NOT NULL REFERENCES artifacts(id),
      source_sha256 TEXT NOT NULL,
      source_offset INTEGER NOT NULL,
      ingest_job_id TEXT NOT NULL
    ) STRICT;
    -- Events are what the evidence says; once stored they are never changed or removed.
    CREATE TRIGGER ct_events_no_update BEFORE UPDATE ON ct_events
      BEGIN SELECT RAISE(ABORT, 'ct_events rows are append-only'); END;
    -- How far the full-text index (built by the logs.index job) reaches: ids up to indexed_through.
    CREATE TABLE ct_text_index (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      indexed_through INTEGER NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER ct_events_no_delete BEFORE DELETE ON ct_events
      BEGIN SELECT RAISE(ABORT, 'ct_events rows are append-only'); END;
  `);
  for (const [name, spec] of Object.entries(CT_EVENT_INDEXES)) db.exec(`CREATE INDEX ${name} ${spec}`);
}
