/**
 * timeline.export through the contract: the filtered timeline as RFC 4180 CSV and as Timesketch
 * JSONL, row counts equal to timeline.query's total, hashes equal to sha256sum, read-only files, custody.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_EXPORT_COLUMNS } from '../../main/handlers-timeline-export.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords } from '../support/logs-synthetic.js';

const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
if (!hasSha256sum) console.warn('sha256sum not found: the independent hash check is skipped');

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF row ends only. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += text[i++];
      }
    }
    const c = text[i];
    if (c === ',') { row.push(field); field = ''; i++; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; }
    else if (c === undefined) break;
    else if (c === '\n' || c === '\r' || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else { field += c; i++; }
  }
  if (field !== '' || row.length) throw new Error('last row not ended with CRLF');
  return rows;
}

describe('timeline.export', () => {
  let h: Harness;
  let caseId: string;
  const filter = { eventSource: ['s3.amazonaws.com'], readOnly: true };

  beforeAll(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR/EXPORT 1', title: 'Export' })).id;
    const records = syntheticRecords(1500);
    // A hostile record: a spreadsheet formula, a comma, a quote and a newline where a spreadsheet would run them.
    Object.assign(records[3]!, { eventSource: 's3.amazonaws.com', readOnly: true, userAgent: '=HYPERLINK("http://x","y")', eventName: 'Get,Object\n"x"' });
    const file = path.join(h.root, 'ct.json');
    fs.writeFileSync(file, JSON.stringify({ Records: records }));
    const added = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
    expect((await h.waitJob(caseId, added.jobId)).state).toBe('succeeded');
    const { jobId } = await h.call('logs.ingest', { caseId, artifactIds: [added.artifactId] });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
  }, 120_000);
  afterAll(async () => {
    await h.dispose();
  });

  for (const filters of [{}, filter]) {
    const label = Object.keys(filters).length ? 'filtered' : 'unfiltered';

    it(`CSV, ${label}: every matching row, RFC 4180, guarded, hashed, read-only, in custody`, async () => {
      const total = (await h.call('timeline.query', { caseId, filters, limit: 1 })).total!;
      expect(total).toBeGreaterThan(0);
      const r = await h.call('timeline.export', { caseId, filters, format: 'csv' });
      expect(r.rows).toBe(total);
      expect(r.path).toMatch(/^exports[\\/]timeline-IR_EXPORT_1-\d{8}T\d{9}Z\.csv$/);
      const bytes = fs.readFileSync(r.absolutePath);
      expect(bytes.length).toBe(r.size);
      const rows = parseCsv(bytes.toString('utf8'));
      expect(rows[0]).toEqual([...TIMELINE_EXPORT_COLUMNS]);
      expect(rows.length).toBe(total + 1);
      for (const row of rows) expect(row.length).toBe(TIMELINE_EXPORT_COLUMNS.length);
      const col = (name: string): number => TIMELINE_EXPORT_COLUMNS.indexOf(name as never);
      const hostile = rows.find((row) => row[col('event_id')] === 'ev-3')!;
      expect(hostile[col('user_agent')]).toBe(`'=HYPERLINK("http://x","y")`);
      expect(hostile[col('event_name')]).toBe('Get,Object\n"x"');
      expect(hostile[col('event_time')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      if (Object.keys(filters).length) {
        for (const row of rows.slice(1)) {
          expect(row[col('event_source')]).toBe('s3.amazonaws.com');
          expect(row[col('read_only')]).toBe('true');
        }
      }
      await checkFile(r, 'csv', filters);
    });

    it(`JSONL (Timesketch), ${label}: one object per line with message, datetime, timestamp_desc`, async () => {
      const total = (await h.call('timeline.query', { caseId, filters, limit: 1 })).total!;
      const r = await h.call('timeline.export', { caseId, filters, format: 'jsonl-timesketch' });
      expect(r.rows).toBe(total);
      expect(r.path).toMatch(/\.jsonl$/);
      const text = fs.readFileSync(r.absolutePath, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      expect(lines.length).toBe(total);
      for (const line of lines) {
        const o = JSON.parse(line) as Record<string, unknown>;
        expect(typeof o.message).toBe('string');
        expect(o.datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(o.timestamp_desc).toBe('Event Time');
        expect(o.datetime).toBe(o.event_time);
        expect(typeof o.raw).toBe('object');
        if (Object.keys(filters).length) expect(o).toMatchObject({ event_source: 's3.amazonaws.com', read_only: true });
      }
      const hostile = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => o.event_id === 'ev-3')!;
      expect(hostile.message).toMatch(/^s3\.amazonaws\.com Get,Object\n"x" by \S+ from 203\.0\.113\.\d+$/);
      expect(hostile.user_agent).toBe('=HYPERLINK("http://x","y")');
      expect((hostile.raw as { eventID: string }).eventID).toBe('ev-3');
      await checkFile(r, 'jsonl-timesketch', filters);
    });
  }

  it('refuses a format it does not know', async () => {
    await expect(h.call('timeline.export', { caseId, filters: {}, format: 'xlsx' as never })).rejects.toThrow();
  });

  async function checkFile(r: { path: string; absolutePath: string; size: number; sha256: string; rows: number }, format: string, filters: object): Promise<void> {
    // Mode bits, not a write attempt: root (as in CI containers) may write a 0444 file anyway.
    expect(fs.statSync(r.absolutePath).mode & 0o777).toBe(0o444);
    if (hasSha256sum) expect(execFileSync('sha256sum', [r.absolutePath], { encoding: 'utf8' }).split(' ')[0]).toBe(r.sha256);
    const { events } = await h.call('custody.list', { caseId, limit: 1000 });
    const ev = events.find((e) => e.action === 'timeline.exported' && e.details.path === r.path);
    expect(ev?.details).toMatchObject({ format, filters, rows: r.rows, size: r.size, sha256: r.sha256 });
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  }
});
