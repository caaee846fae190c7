/**
 * Reading flow_records: filters → one WHERE clause (what the EXPLAIN QUERY PLAN test checks is
 * what runs), keyset pages on (start_time, id), and the flows whose addresses made CloudTrail calls.
 */
import type { FlowFilters, FlowPage, FlowRow, FlowTouchingPage } from '../../../../shared/contract-flows.js';
import { AppError } from '../../../../shared/errors.js';
import type { CaseDb } from '../../cases/case-db.js';

export interface FlowWhere {
  /** Terms combined with AND. */
  terms: string[];
  /**
   * An "either side" filter (address, else port) as its two halves. Pages run one keyset query
   * per half, each served by its own (column, start_time, id) index without a sort, and merge
   * them: an OR would leave the planner a choice of walking the time index and testing every row.
   */
  split: [string, string] | null;
  params: Record<string, string | number>;
}

/** Counting stops here: beyond it the examiner needs a narrower filter. */
export const FLOW_TOTAL_CAP = 100_000;

const COLUMNS = `id, start_time AS startTime, end_time AS endTime, version, account_id AS accountId,
  interface_id AS interfaceId, srcaddr, dstaddr, srcport, dstport, protocol, protocol_name AS protocolName,
  packets, bytes, action, log_status AS logStatus, vpc_id AS vpcId, subnet_id AS subnetId,
  instance_id AS instanceId, flow_direction AS flowDirection, extra, source_artifact_id AS artifactId,
  source_sha256 AS sha256, line`;

/** Builds the filter terms with named parameters. */
export function flowWhere(f: FlowFilters): FlowWhere {
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  const either: [string, string][] = [];
  const utc = (v: string) => new Date(Date.parse(v)).toISOString();
  if (f.from) {
    params.from = utc(f.from);
    terms.push('start_time >= @from');
  }
  if (f.to) {
    params.to = utc(f.to);
    terms.push('start_time < @to');
  }
  if (f.address !== undefined) {
    params.address = f.address;
    either.push(['srcaddr = @address', 'dstaddr = @address']);
  }
  if (f.port !== undefined) {
    params.port = f.port;
    either.push(['srcport = @port', 'dstport = @port']);
  }
  if (f.protocol !== undefined) {
    params.protocol = f.protocol;
    terms.push('protocol = @protocol');
  }
  if (f.action !== undefined) {
    params.action = f.action;
    terms.push('action = @action');
  }
  if (f.interfaceId !== undefined) {
    params.interfaceId = f.interfaceId;
    terms.push('interface_id = @interfaceId');
  }
  // Addresses are the more selective either-side filter; a port then is checked per row.
  for (const [a, b] of either.slice(1)) terms.push(`(${a} OR ${b})`);
  return { terms, split: either[0] ?? null, params };
}

/** All the filter's terms as one WHERE clause (the halves of a split as an OR), or ''. */
export function flatWhere(w: FlowWhere): string {
  const terms = w.split ? [...w.terms, `(${w.split[0]} OR ${w.split[1]})`] : w.terms;
  return terms.length ? `WHERE ${terms.join(' AND ')}` : '';
}

/** `SELECT columns … tail` over the matching rows: one query, or the UNION of the split's halves. */
function selectMatching(w: FlowWhere, columns: string, tail: string, extra: string[] = []): string {
  const branch = (more: string[]) => {
    const t = [...w.terms, ...extra, ...more];
    return `SELECT ${columns} FROM flow_records${t.length ? ` WHERE ${t.join(' AND ')}` : ''} ${tail}`;
  };
  if (!w.split) return branch([]);
  return `SELECT * FROM (${branch([w.split[0]])}) UNION SELECT * FROM (${branch([w.split[1]])})`;
}

export function encodeFlowCursor(startTime: string, id: number): string {
  return `${startTime}|${id}`;
}

function decodeFlowCursor(cursor: string): { time: string; id: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(cursor);
  if (!m) throw new AppError('INVALID_INPUT', 'This page cursor is not one the flow list gave out');
  return { time: m[1]!, id: Number(m[2]) };
}

/** The page query (also run under EXPLAIN QUERY PLAN by the tests): filters, cursor, order, limit. */
export function flowPageQuery(f: FlowFilters, cursor: string | undefined, limit: number, extraTerm = ''): { sql: string; params: Record<string, string | number> } {
  const w = flowWhere(f);
  const params: Record<string, string | number> = { ...w.params, limit };
  const extra = extraTerm ? [extraTerm] : [];
  if (cursor) {
    const c = decodeFlowCursor(cursor);
    params.cursorTime = c.time;
    params.cursorId = c.id;
    extra.push('(start_time, id) > (@cursorTime, @cursorId)');
  }
  const tail = 'ORDER BY start_time, id LIMIT @limit';
  const sql = selectMatching(w, COLUMNS, tail, extra);
  return { sql: w.split ? `${sql} ORDER BY startTime, id LIMIT @limit` : sql, params };
}

/** The count query of a first page: matching rows up to FLOW_TOTAL_CAP + 1. */
export function flowCountQuery(f: FlowFilters): { sql: string; params: Record<string, string | number> } {
  const w = flowWhere(f);
  return { sql: `SELECT count(*) FROM (${selectMatching(w, 'id', `LIMIT ${FLOW_TOTAL_CAP + 1}`)})`, params: w.params };
}

type Raw = Omit<FlowRow, 'extra' | 'source'> & { extra: string; artifactId: string; sha256: string; line: number };

function toRow(r: Raw): FlowRow {
  const { extra, artifactId, sha256, line, ...rest } = r;
  return { ...rest, extra: JSON.parse(extra) as FlowRow['extra'], source: { artifactId, sha256, line } };
}

/** One page of flows matching the filters, after `cursor`, in (start time, id) order. */
export function queryFlows(db: CaseDb, filters: FlowFilters, cursor: string | undefined, limit: number): FlowPage {
  const q = flowPageQuery(filters, cursor, limit + 1);
  const rows = (db.prepare(q.sql).all(q.params) as Raw[]).map(toRow);
  const more = rows.length > limit;
  const flows = rows.slice(0, limit);
  const last = flows.at(-1);
  let total: number | null = null;
  let totalCapped = false;
  if (!cursor) {
    const c = flowCountQuery(filters);
    total = db.prepare(c.sql).pluck().get(c.params) as number;
    totalCapped = total > FLOW_TOTAL_CAP;
    if (totalCapped) total = FLOW_TOTAL_CAP;
  }
  return { flows, nextCursor: more && last ? encodeFlowCursor(last.startTime, last.id) : null, total, totalCapped };
}

// Addresses CloudTrail saw calls from (its by_ip index serves the subquery).
const CT_IPS = 'SELECT source_ip FROM ct_events WHERE source_ip IS NOT NULL';
/** The extra term of the touching query: either side is a CloudTrail source IP. */
export const TOUCHING_TERM = `(srcaddr IN (${CT_IPS}) OR dstaddr IN (${CT_IPS}))`;

/**
 * Flows whose source or destination address equals a source IP of the case's CloudTrail events,
 * each with the number of CloudTrail events from that address; the first page also lists the addresses.
 */
export function flowsTouchingCloudTrail(db: CaseDb, filters: FlowFilters, cursor: string | undefined, limit: number): FlowTouchingPage {
  const q = flowPageQuery(filters, cursor, limit + 1, TOUCHING_TERM);
  const rows = (db.prepare(q.sql).all(q.params) as Raw[]).map(toRow);
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const countFor = db.prepare('SELECT count(*) FROM ct_events WHERE source_ip = ?').pluck();
  const counts = new Map<string, number>();
  const ctCount = (ip: string | null): number => {
    if (ip === null) return 0;
    let n = counts.get(ip);
    if (n === undefined) counts.set(ip, (n = countFor.get(ip) as number));
    return n;
  };
  const flows = page.map((r) => {
    const src = ctCount(r.srcaddr);
    // When both sides made calls, the source is named (the count is of that address).
    const matchedAddress = src > 0 ? r.srcaddr! : r.dstaddr!;
    return { ...r, matchedAddress, cloudTrailEvents: src > 0 ? src : ctCount(r.dstaddr) };
  });
  let addresses: FlowTouchingPage['addresses'] = null;
  if (!cursor) {
    const w = flowWhere(filters);
    const where = flatWhere(w);
    const and = where ? `${where} AND` : 'WHERE';
    addresses = db
      .prepare(
        `SELECT ip AS address, n AS cloudTrailEvents,
           (SELECT count(*) FROM flow_records ${and} (srcaddr = ip OR dstaddr = ip)) AS flows
         FROM (SELECT source_ip AS ip, count(*) AS n FROM ct_events WHERE source_ip IS NOT NULL GROUP BY source_ip)
         WHERE flows > 0 ORDER BY flows DESC, address LIMIT 1000`,
      )
      .all(w.params) as { address: string; cloudTrailEvents: number; flows: number }[];
  }
  const last = flows.at(-1);
  return { flows, nextCursor: more && last ? encodeFlowCursor(last.startTime, last.id) : null, addresses };
}
