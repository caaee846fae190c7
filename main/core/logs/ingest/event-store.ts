/**
 * Writing CloudTrail records into ct_events: one prepared INSERT OR IGNORE, batched by the caller.
 * Records travel as plain row arrays (`EventRow`) so a parse worker can prepare them and post
 * them to the thread that owns the database without any per-row work left for that thread.
 */
import type { CaseDb } from '../../cases/case-db.js';
import type { CloudTrailItem } from '../cloudtrail/index.js';

/** Where a batch of rows came from; stored on every row so an event leads back to its file. */
export interface RowSource {
  artifactId: string;
  sha256: string;
  jobId: string;
}

export interface BatchOutcome {
  inserted: number;
  duplicates: number;
  /** Duplicates whose stored row came from this same artifact (a repeated or resumed ingest). */
  duplicatesFromSameArtifact: number;
}

/** The columns a record fills, in `EventRow` order; the source columns follow them in the INSERT. */
const RECORD_COLUMNS = [
  'event_time', 'event_source', 'event_name', 'aws_region', 'account_id', 'identity_type', 'identity_arn',
  'access_key_id', 'principal_id', 'user_name', 'actor', 'session_issuer_arn', 'mfa_authenticated', 'source_ip',
  'user_agent', 'error_code', 'error_message', 'read_only', 'event_type', 'event_category', 'request_id', 'event_id',
  'resources', 'request_parameters', 'response_elements', 'additional_event_data', 'raw', 'source_offset',
] as const;
const SOURCE_COLUMNS = ['source_artifact_id', 'source_sha256', 'ingest_job_id'] as const;
const EVENT_ID_AT = RECORD_COLUMNS.indexOf('event_id');

/** One record's column values in RECORD_COLUMNS order (structured-clone friendly). */
export type EventRow = (string | number | null)[];

function flag(v: boolean | null): number | null {
  return v === null ? null : v ? 1 : 0;
}

/** The column values of one record as read from its file. */
export function toEventRow({ record: r, offset }: CloudTrailItem): EventRow {
  return [
    r.eventTime, r.eventSource, r.eventName, r.awsRegion, r.recipientAccountId, r.userType, r.userArn,
    r.accessKeyId, r.userPrincipalId, r.userName, r.actor, r.sessionIssuerArn, flag(r.mfaAuthenticated),
    r.sourceIpAddress, r.userAgent, r.errorCode, r.errorMessage, flag(r.readOnly), r.eventType, r.eventCategory,
    r.requestId, r.dedupeKey, JSON.stringify(r.resources), r.requestParameters, r.responseElements,
    r.additionalEventData, r.raw, offset,
  ];
}

/** A writer bound to one database; `write`/`writeRows` must run inside a transaction for speed. */
export class EventStore {
  private readonly insert;
  private readonly ownerOf;

  constructor(db: CaseDb) {
    const columns = [...RECORD_COLUMNS, ...SOURCE_COLUMNS];
    this.insert = db.prepare(`INSERT OR IGNORE INTO ct_events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.ownerOf = db.prepare('SELECT source_artifact_id FROM ct_events WHERE event_id = ?').pluck();
  }

  /** Inserts the items; an event_id already stored is ignored and counted as a duplicate. */
  write(items: CloudTrailItem[], src: RowSource): BatchOutcome {
    return this.writeRows(items.map(toEventRow), src);
  }

  /** The same for rows already made by toEventRow (the rows are extended in place). */
  writeRows(rows: EventRow[], src: RowSource): BatchOutcome {
    const out: BatchOutcome = { inserted: 0, duplicates: 0, duplicatesFromSameArtifact: 0 };
    for (const row of rows) {
      row.push(src.artifactId, src.sha256, src.jobId);
      if (this.insert.run(row).changes === 1) {
        out.inserted++;
      } else {
        out.duplicates++;
        if (this.ownerOf.get(row[EVENT_ID_AT]) === src.artifactId) out.duplicatesFromSameArtifact++;
      }
    }
    return out;
  }
}
