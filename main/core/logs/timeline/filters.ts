/**
 * Timeline filters → one SQL WHERE clause with named parameters. Every query of the timeline
 * (page, count, facets, histogram) and the EXPLAIN QUERY PLAN test go through here, so what is
 * tested is what runs.
 */
import type { TimelineFilters } from '../../../../shared/contract.js';
import { AppError } from '../../../../shared/errors.js';
import type { CaseDb } from '../../cases/case-db.js';
import { FTS_TABLE, hasTextIndex } from '../ingest/text-index.job.js';

export interface WhereClause {
  /** `WHERE …` or the empty string. */
  sql: string;
  params: Record<string, string | number>;
}

/** Filter names whose values are matched exactly against one indexed column. */
export const LIST_COLUMNS = {
  eventSource: 'event_source',
  eventName: 'event_name',
  identityArn: 'identity_arn',
  accessKeyId: 'access_key_id',
  sourceIp: 'source_ip',
  region: 'aws_region',
  accountId: 'account_id',
} as const;

// Above every code point in UTF-8 byte order, so `prefix <= x < prefix + HIGH` is "starts with".
const HIGH = '\u{10FFFF}';

/** Stored times are `toISOString()` text, so the bounds are normalised the same way. */
export function utcBound(value: string): string {
  return new Date(Date.parse(value)).toISOString();
}

/** A user's text as one FTS5 phrase: quotes doubled, so operators in it are just text. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** How a page query may serve a user-agent prefix; see agentPlan. */
export interface WhereOptions {
  /** Test the prefix row by row (`+user_agent`) while walking in time order, instead of the agent index. */
  agentByTime?: boolean;
}

/** Above this many matches a user-agent prefix is "common" (agentPlan). */
export const AGENT_COMMON = 2000;

/**
 * A user-agent prefix matched through `ct_events_by_agent` yields rows in agent order, so a page
 * must collect and sort every match: slow when the prefix is common (20 % of a million events took
 * 280 ms). Walking the time index and testing each row finds a common prefix's first page at once,
 * but walks everything for a rare one. One capped count on the agent index picks the plan.
 */
export function agentPlan(db: CaseDb, f: TimelineFilters): WhereOptions {
  if (!f.userAgentPrefix) return {};
  const n = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM ct_events WHERE user_agent >= ? AND user_agent < ? LIMIT ${AGENT_COMMON})`)
    .pluck()
    .get(f.userAgentPrefix, f.userAgentPrefix + HIGH) as number;
  return { agentByTime: n >= AGENT_COMMON };
}

/** Builds the WHERE clause; `db` is needed only to check a text filter can be served. */
export function buildWhere(db: CaseDb, f: TimelineFilters, opts: WhereOptions = {}): WhereClause {
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  let n = 0;
  const param = (v: string | number): string => {
    const name = `p${n++}`;
    params[name] = v;
    return `@${name}`;
  };
  if (f.from) terms.push(`event_time >= ${param(utcBound(f.from))}`);
  if (f.to) terms.push(`event_time < ${param(utcBound(f.to))}`);
  for (const [key, column] of Object.entries(LIST_COLUMNS) as [keyof typeof LIST_COLUMNS, string][]) {
    const values = f[key];
    if (values?.length) terms.push(`${column} IN (${values.map(param).join(', ')})`);
  }
  if (f.errorCode === 'any') terms.push('error_code IS NOT NULL');
  else if (f.errorCode?.length) terms.push(`error_code IN (${f.errorCode.map(param).join(', ')})`);
  if (f.readOnly !== undefined) terms.push(`read_only = ${param(f.readOnly ? 1 : 0)}`);
  if (f.userAgentPrefix) {
    // Unary + keeps SQLite from using the agent index for this term (agentPlan says when that is faster).
    const col = opts.agentByTime ? '+user_agent' : 'user_agent';
    terms.push(`${col} >= ${param(f.userAgentPrefix)} AND ${col} < ${param(f.userAgentPrefix + HIGH)}`);
  }
  if (f.eventIds?.length) {
    // One JSON parameter, not thousands of `?`: the planner then always searches the UNIQUE event_id
    // index per id; with a long IN list it walked the time index instead (measured, docs/timeline.md).
    terms.push(`event_id IN (SELECT value FROM json_each(${param(JSON.stringify(f.eventIds))}))`);
  }
  if (f.text) {
    if (!hasTextIndex(db)) {
      throw new AppError('JOB_STATE', 'Text search is not available yet: the full-text index has not been built (run "Index text" on this case)');
    }
    terms.push(`id IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ${param(ftsPhrase(f.text))})`);
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

/** Keyset cursor: the (event_time, id) of the last row of a page. */
export function encodeCursor(eventTime: string, id: number): string {
  return `${eventTime}|${id}`;
}

export function decodeCursor(cursor: string): { time: string; id: number } {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(cursor);
  if (!m) throw new AppError('INVALID_INPUT', 'This page cursor is not one the timeline gave out');
  return { time: m[1]!, id: Number(m[2]) };
}

/** The page query: filters, then everything after the cursor, in (event_time, id) order. */
export function pageQuery(db: CaseDb, f: TimelineFilters, cursor: string | undefined, limit: number, columns: string): WhereClause {
  const where = buildWhere(db, f, agentPlan(db, f));
  let sql = where.sql;
  const params = { ...where.params };
  if (cursor) {
    const c = decodeCursor(cursor);
    params.cursorTime = c.time;
    params.cursorId = c.id;
    sql += `${sql ? ' AND' : 'WHERE'} (event_time, id) > (@cursorTime, @cursorId)`;
  }
  params.limit = limit;
  return { sql: `SELECT ${columns} FROM ct_events ${sql} ORDER BY event_time, id LIMIT @limit`, params };
}
