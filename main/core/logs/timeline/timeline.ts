/** Reading the timeline: pages by keyset, one event in full, facet counts and a histogram. */
import type { TimelineFilters } from '../../../../shared/contract.js';
import { AppError } from '../../../../shared/errors.js';
import type {
  TimelineEventDetail, TimelineEventSummary, TimelineFacetField, TimelineFacets, TimelineHistogram, TimelinePage,
} from '../../../../shared/types.js';
import type { CaseDb } from '../../cases/case-db.js';
import { textIndexState } from '../ingest/text-index.job.js';
import { buildWhere, encodeCursor, pageQuery, utcBound } from './filters.js';

/** Counting stops here: beyond it the examiner needs a narrower filter, not an exact number. */
export const TOTAL_CAP = 100_000;

const SUMMARY_COLUMNS = `id, event_id AS eventId, event_time AS eventTime, event_source AS eventSource,
  event_name AS eventName, aws_region AS awsRegion, account_id AS accountId, identity_type AS identityType,
  identity_arn AS identityArn, access_key_id AS accessKeyId, actor, source_ip AS sourceIp,
  user_agent AS userAgent, error_code AS errorCode, read_only AS readOnly`;

type Row = Omit<TimelineEventSummary, 'readOnly'> & { readOnly: number | null };

const flag = (v: number | null): boolean | null => (v === null ? null : v === 1);

/** One page of events matching the filters, after `cursor`, in (time, id) order. */
export function queryTimeline(db: CaseDb, filters: TimelineFilters, cursor: string | undefined, limit: number): TimelinePage {
  const q = pageQuery(db, filters, cursor, limit + 1, SUMMARY_COLUMNS);
  const rows = db.prepare(q.sql).all(q.params) as Row[];
  const more = rows.length > limit;
  const events = rows.slice(0, limit).map((r) => ({ ...r, readOnly: flag(r.readOnly) }));
  const last = events.at(-1);
  let total: number | null = null;
  let totalCapped = false;
  if (!cursor) {
    const w = buildWhere(db, filters);
    total = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ct_events ${w.sql} LIMIT ${TOTAL_CAP + 1})`).pluck().get(w.params) as number;
    totalCapped = total > TOTAL_CAP;
    if (totalCapped) total = TOTAL_CAP;
  }
  return {
    events,
    nextCursor: more && last ? encodeCursor(last.eventTime, last.id) : null,
    total,
    totalCapped,
    textIndex: textIndexState(db),
  };
}

/** One event by its event id (dedupe key), with its raw record and source file. */
export function getTimelineEvent(db: CaseDb, eventId: string): TimelineEventDetail {
  const row = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, principal_id AS principalId, user_name AS userName,
        session_issuer_arn AS sessionIssuerArn, mfa_authenticated AS mfa, error_message AS errorMessage,
        event_type AS eventType, event_category AS eventCategory, request_id AS requestId, resources,
        request_parameters AS requestParameters, response_elements AS responseElements,
        additional_event_data AS additionalEventData, raw, source_artifact_id AS artifactId,
        source_sha256 AS sha256, source_offset AS sourceOffset,
        (SELECT name FROM artifacts WHERE artifacts.id = source_artifact_id) AS artifactName
       FROM ct_events WHERE event_id = ?`,
    )
    .get(eventId) as (Row & Record<string, unknown>) | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No event ${eventId} in this case's timeline`);
  const { mfa, resources, artifactId, sha256, sourceOffset, artifactName, readOnly, ...rest } = row;
  return {
    ...(rest as unknown as Omit<TimelineEventDetail, 'readOnly' | 'mfaAuthenticated' | 'resources' | 'source'>),
    readOnly: flag(readOnly),
    mfaAuthenticated: flag(mfa as number | null),
    resources: JSON.parse(resources as string) as string[],
    source: { artifactId: artifactId as string, name: artifactName as string, sha256: sha256 as string, offset: sourceOffset as number },
  };
}

const FACET_COLUMNS: Record<TimelineFacetField, string> = {
  eventSource: 'event_source',
  eventName: 'event_name',
  identityArn: 'identity_arn',
  identityType: 'identity_type',
  accessKeyId: 'access_key_id',
  sourceIp: 'source_ip',
  region: 'aws_region',
  accountId: 'account_id',
  errorCode: 'error_code',
  readOnly: 'read_only',
  userAgent: 'user_agent',
};

/** The most frequent values of one field among the matching events (NULL counts as a value). */
export function timelineFacets(db: CaseDb, filters: TimelineFilters, field: TimelineFacetField, limit: number): TimelineFacets {
  const col = FACET_COLUMNS[field];
  const w = buildWhere(db, filters);
  const rows = db
    .prepare(`SELECT ${col} AS value, count(*) AS count FROM ct_events ${w.sql} GROUP BY ${col} ORDER BY count DESC, value LIMIT @limit`)
    .all({ ...w.params, limit }) as { value: string | number | null; count: number }[];
  const distinct = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ct_events ${w.sql} GROUP BY ${col})`).pluck().get(w.params) as number;
  const values = rows.map((r) => ({ value: field === 'readOnly' ? flag(r.value as number | null) : r.value as string | null, count: r.count }));
  return { field, values, otherValues: distinct - values.length };
}

/** Event counts per equal time bucket across the filter's range (or the matching events' span). */
export function timelineHistogram(db: CaseDb, filters: TimelineFilters, buckets: number): TimelineHistogram {
  const w = buildWhere(db, filters);
  let fromMs: number;
  let toMs: number;
  if (filters.from && filters.to) {
    fromMs = Date.parse(utcBound(filters.from));
    toMs = Date.parse(utcBound(filters.to));
  } else {
    const span = db.prepare(`SELECT min(event_time) AS lo, max(event_time) AS hi FROM ct_events ${w.sql}`).get(w.params) as { lo: string | null; hi: string | null };
    if (!span.lo || !span.hi) return { bucketMs: 0, from: null, to: null, buckets: [] };
    fromMs = filters.from ? Date.parse(utcBound(filters.from)) : Date.parse(span.lo);
    // `to` is exclusive: one millisecond past the last event keeps it inside.
    toMs = filters.to ? Date.parse(utcBound(filters.to)) : Date.parse(span.hi) + 1;
  }
  if (toMs <= fromMs) return { bucketMs: 0, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), buckets: [] };
  const bucketMs = Math.max(1, Math.ceil((toMs - fromMs) / buckets));
  const count = Math.ceil((toMs - fromMs) / bucketMs);
  const rows = db
    .prepare(
      // JS numbers bind as REAL; the casts keep this an integer division.
      `SELECT (CAST(round(unixepoch(event_time, 'subsec') * 1000) AS INTEGER) - CAST(@fromMs AS INTEGER)) / CAST(@bucketMs AS INTEGER) AS b,
         count(*) AS n
       FROM ct_events ${w.sql} GROUP BY b`,
    )
    .all({ ...w.params, fromMs, bucketMs }) as { b: number; n: number }[];
  const counts = new Array<number>(count).fill(0);
  for (const r of rows) if (r.b >= 0 && r.b < count) counts[r.b] = r.n;
  return {
    bucketMs,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    buckets: counts.map((n, i) => ({ start: new Date(fromMs + i * bucketMs).toISOString(), count: n })),
  };
}
