/**
 * Version 30: VPC flow log records ingested from log file artifacts (docs/flow-logs.md). One row
 * per record line; a line of a given file (by its SHA-256) is stored once however often it is ingested.
 */
import type { Database } from 'better-sqlite3';

/**
 * Secondary indexes of flow_records: each filter's column leads, then (start_time, id) so one
 * value comes out in time order and a keyset page needs no sort. "Address" and "port" match
 * either side, so both sides have their own index.
 */
export const FLOW_RECORD_INDEXES: Record<string, string> = {
  flow_records_by_time: 'ON flow_records(start_time, id)',
  flow_records_by_srcaddr: 'ON flow_records(srcaddr, start_time, id)',
  flow_records_by_dstaddr: 'ON flow_records(dstaddr, start_time, id)',
  flow_records_by_srcport: 'ON flow_records(srcport, start_time, id)',
  flow_records_by_dstport: 'ON flow_records(dstport, start_time, id)',
  flow_records_by_protocol: 'ON flow_records(protocol, start_time, id)',
  flow_records_by_action: 'ON flow_records(action, start_time, id)',
  flow_records_by_interface: 'ON flow_records(interface_id, start_time, id)',
};

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE flow_records (
      id INTEGER PRIMARY KEY,
      start_time TEXT NOT NULL,
      end_time TEXT,
      version INTEGER,
      account_id TEXT,
      interface_id TEXT,
      srcaddr TEXT,
      dstaddr TEXT,
      srcport INTEGER,
      dstport INTEGER,
      protocol INTEGER,
      protocol_name TEXT,
      packets INTEGER,
      bytes INTEGER,
      action TEXT CHECK (action IN ('ACCEPT', 'REJECT')),
      log_status TEXT CHECK (log_status IN ('OK', 'NODATA', 'SKIPDATA')),
      vpc_id TEXT,
      subnet_id TEXT,
      instance_id TEXT,
      flow_direction TEXT,
      -- Fields of a custom format without a column of their own, as a JSON object.
      extra TEXT NOT NULL,
      source_artifact_id TEXT NOT NULL REFERENCES artifacts(id),
      source_sha256 TEXT NOT NULL,
      -- Line number (from 1) in the uncompressed file; with the file's hash, the dedupe key.
      line INTEGER NOT NULL,
      ingest_job_id TEXT NOT NULL,
      UNIQUE (source_sha256, line)
    ) STRICT;
    -- Records are what the evidence says; once stored they are never changed or removed.
    CREATE TRIGGER flow_records_no_update BEFORE UPDATE ON flow_records
      BEGIN SELECT RAISE(ABORT, 'flow_records rows are append-only'); END;
    CREATE TRIGGER flow_records_no_delete BEFORE DELETE ON flow_records
      BEGIN SELECT RAISE(ABORT, 'flow_records rows are append-only'); END;
  `);
  for (const [name, spec] of Object.entries(FLOW_RECORD_INDEXES)) db.exec(`CREATE INDEX ${name} ${spec}`);
}
