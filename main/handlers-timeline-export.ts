/**
 * timeline.export: the filtered timeline written once into exports/, as RFC 4180 CSV or as JSONL
 * in Timesketch's import format (message, datetime, timestamp_desc plus attributes), then recorded in custody.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { TimelineFilters } from '../shared/contract-logs.js';
import type { TimelineExportFormat, TimelineExportResult, timelineExportChannels } from '../shared/contract-timeline-export.js';
import { assertNever } from '../shared/errors.js';
import { EXPORTS_DIR, type CaseSession } from './core/cases/case-session.js';
import { appendEvent, nowUtc, type Actor } from './core/custody/custody.repo.js';
import { buildWhere } from './core/logs/timeline/index.js';
import { guardCsvField, quoteCsvField } from './core/reports/custody-csv.js';
import type { Handlers } from './handlers.js';

/** Column order of the timeline CSV and the attribute names of the JSONL; part of the export format. */
export const TIMELINE_EXPORT_COLUMNS = [
  'event_time', 'event_source', 'event_name', 'actor', 'identity_arn', 'access_key_id', 'source_ip',
  'user_agent', 'aws_region', 'account_id', 'error_code', 'read_only', 'event_id', 'source_artifact_id', 'source_sha256',
] as const;

type Column = (typeof TIMELINE_EXPORT_COLUMNS)[number];
type Row = Record<Column, string | number | null> & { raw: string };

// Written in chunks so a million-event export never sits in memory at once.
const FLUSH_BYTES = 1 << 20;

function csvLine(fields: readonly string[]): string {
  return fields.map((f) => quoteCsvField(guardCsvField(f))).join(',') + '\r\n';
}

function cell(row: Row, c: Column): string {
  const v = row[c];
  if (c === 'read_only') return v === null ? '' : v === 1 ? 'true' : 'false';
  return v === null ? '' : String(v);
}

function attributes(row: Row): Record<string, string | boolean | null> {
  const o: Record<string, string | boolean | null> = {};
  for (const c of TIMELINE_EXPORT_COLUMNS) {
    const v = row[c];
    o[c] = c === 'read_only' ? (v === null ? null : v === 1) : v === null ? null : String(v);
  }
  return o;
}

function jsonlLine(row: Row): string {
  const message = `${row.event_source ?? ''} ${row.event_name ?? ''} by ${row.actor ?? 'unknown'} from ${row.source_ip ?? 'unknown'}`;
  return JSON.stringify({
    message,
    datetime: row.event_time,
    timestamp_desc: 'Event Time',
    ...attributes(row),
    raw: JSON.parse(row.raw) as unknown,
  }) + '\n';
}

/** Streams the filtered timeline into a new read-only file, hashes the bytes as written, and appends timeline.exported. */
export function exportTimeline(session: CaseSession, actor: Actor, filters: TimelineFilters, format: TimelineExportFormat): TimelineExportResult {
  const where = buildWhere(session.db, filters);
  const stamp = nowUtc().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
  const safeNumber = session.info.number.replace(/[^A-Za-z0-9._-]+/g, '_');
  const ext = format === 'csv' ? 'csv' : 'jsonl';
  const relative = path.join(EXPORTS_DIR, `timeline-${safeNumber}-${stamp}.${ext}`);
  const absolute = session.resolve(relative);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const hashes = { md5: createHash('md5'), sha1: createHash('sha1'), sha256: createHash('sha256') };
  let size = 0;
  let rows = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const fd = fs.openSync(absolute, 'wx', 0o644);
  try {
    const flush = (): void => {
      if (!pending.length) return;
      const buf = Buffer.from(pending.join(''), 'utf8');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      for (const h of Object.values(hashes)) h.update(buf);
      size += buf.length;
      pending = [];
      pendingBytes = 0;
    };
    const push = (line: string): void => {
      pending.push(line);
      pendingBytes += line.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
    };
    if (format === 'csv') push(csvLine(TIMELINE_EXPORT_COLUMNS));
    const stmt = session.db.prepare(`SELECT ${TIMELINE_EXPORT_COLUMNS.join(', ')}, raw FROM ct_events ${where.sql} ORDER BY event_time, id`);
    for (const row of stmt.iterate(where.params) as Iterable<Row>) {
      switch (format) {
        case 'csv':
          push(csvLine(TIMELINE_EXPORT_COLUMNS.map((c) => cell(row, c))));
          break;
        case 'jsonl-timesketch':
          push(jsonlLine(row));
          break;
        default:
          assertNever(format);
      }
      rows++;
    }
    flush();
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    // A half-written export is no export: remove it so nobody hands it over.
    fs.rmSync(absolute, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.chmodSync(absolute, 0o444);
  const md5 = hashes.md5.digest('hex');
  const sha1 = hashes.sha1.digest('hex');
  const sha256 = hashes.sha256.digest('hex');
  appendEvent(session.db, actor, {
    action: 'timeline.exported',
    details: { format, filters, rows, path: relative, size, md5, sha1, sha256 },
  });
  return { path: relative, absolutePath: absolute, size, sha256, rows };
}

export const timelineExportHandlers: Pick<Handlers, keyof typeof timelineExportChannels> = {
  'timeline.export': (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session } = ctx.ws.get(input.caseId);
    const result = exportTimeline(session, actor, input.filters, input.format);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return result;
  },
};
