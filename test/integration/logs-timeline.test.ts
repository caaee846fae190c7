/**
 * The timeline query layer on generated CloudTrail files: every filter kind served by an index
 * (EXPLAIN QUERY PLAN through the same builder the handler uses), keyset pagination, facets and
 * histogram checked against counts computed in JS from the source records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineFilters } from '../../shared/contract.js';
import { EVENT_IDS_CAP } from '../../shared/contract-logs.js';
import { buildWhere, pageQuery } from '../../main/core/logs/timeline/index.js';
import { timelineFacets } from '../../main/core/logs/timeline/index.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords, type CtRecord } from '../support/logs-synthetic.js';

type Rec = CtRecord;

const N = 12_000;
const records: Rec[] = syntheticRecords(N, 0, 7);

/** As many ids as one filter takes: every odd-numbered event up to ev-9999. */
const MANY_IDS = Array.from({ length: EVENT_IDS_CAP }, (_, i) => `ev-${i * 2 + 1}`);
const MANY_IDS_SET = new Set(MANY_IDS);

/** The filters every kind of, with a JS predicate saying which source records they match. */
const FILTERS: [string, TimelineFilters, (r: Rec) => boolean][] = [
  ['none', {}, () => true],
  ['time range', { from: '2026-03-01T01:00:00Z', to: '2026-03-01T02:00:00.500Z' },
    (r) => Date.parse(r.eventTime) >= Date.parse('2026-03-01T01:00:00Z') && Date.parse(r.eventTime) < Date.parse('2026-03-01T02:00:00.500Z')],
  ['eventSource', { eventSource: ['s3.amazonaws.com', 'iam.amazonaws.com'] }, (r) => ['s3.amazonaws.com', 'iam.amazonaws.com'].includes(r.eventSource)],
  ['eventName', { eventName: ['StopLogging'] }, (r) => r.eventName === 'StopLogging'],
  ['identityArn', { identityArn: ['arn:aws:iam::111122223333:user/user7'] }, (r) => r.userIdentity.arn === 'arn:aws:iam::111122223333:user/user7'],
  ['accessKeyId', { accessKeyId: ['AKIA0000000000000042'] }, (r) => r.userIdentity.accessKeyId === 'AKIA0000000000000042'],
  ['sourceIp', { sourceIp: ['203.0.113.9', '203.0.113.10'] }, (r) => ['203.0.113.9', '203.0.113.10'].includes(r.sourceIPAddress!)],
  ['region', { region: ['eu-west-1'] }, (r) => r.awsRegion === 'eu-west-1'],
  ['accountId', { accountId: ['444455556666'] }, (r) => r.recipientAccountId === '444455556666'],
  ['errorCode list', { errorCode: ['AccessDenied'] }, (r) => r.errorCode === 'AccessDenied'],
  ['errorCode any', { errorCode: 'any' }, (r) => r.errorCode !== undefined],
  ['readOnly', { readOnly: false }, (r) => r.readOnly === false],
  ['userAgent prefix', { userAgentPrefix: 'Boto3/1.34.3' }, (r) => r.userAgent!.startsWith('Boto3/1.34.3')],
  // Half the events: common enough (agentPlan) that a page walks time order and tests the prefix per row.
  ['userAgent common prefix', { userAgentPrefix: 'aws-cli/' }, (r) => r.userAgent!.startsWith('aws-cli/')],
  ['text', { text: 'needle4242x' }, (r) => r.requestParameters?.marker === 'needle4242x'],
  // Ids from three files, one repeated, one no event has (ev-97 has no eventID): exactly the named events.
  ['eventIds', { eventIds: ['ev-11001', 'ev-5', 'ev-4001', 'ev-5', 'ev-97', 'no-such-event'] }, (r) => ['ev-5', 'ev-4001', 'ev-11001'].includes(r.eventID!)],
  ['eventIds, the most, with a time range', { eventIds: MANY_IDS, from: '2026-03-01T01:00:00Z' },
    (r) => MANY_IDS_SET.has(r.eventID!) && Date.parse(r.eventTime) >= Date.parse('2026-03-01T01:00:00Z')],
  ['combined', { region: ['us-east-1'], readOnly: true, from: '2026-03-01T00:30:00Z' },
    (r) => r.awsRegion === 'us-east-1' && r.readOnly === true && Date.parse(r.eventTime) >= Date.parse('2026-03-01T00:30:00Z')],
];

describe('timeline queries', () => {
  let h: Harness;
  let caseId: string;
  let db: Database.Database;

  beforeAll(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-TL', title: 'Timeline' });
    caseId = c.id;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const file = path.join(h.root, `part${i}.json.gz`);
      fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records.slice(i * 4000, (i + 1) * 4000) })));
      const r = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
      await h.waitJob(caseId, r.jobId);
      ids.push(r.artifactId);
    }
    const { jobId, indexJobId } = await h.call('logs.ingest', { caseId, artifactIds: ids });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
    expect((await h.waitJob(caseId, indexJobId)).state).toBe('succeeded');
    db = new Database(path.join(c.path, 'case.sqlite'), { readonly: true });
  });
  afterAll(async () => {
    db?.close();
    await h.dispose();
  });

  it.each(FILTERS)('serves the %s filter from an index, never a bare table scan', (name, filters) => {
    const queries = [pageQuery(db, filters, undefined, 200, '*'), pageQuery(db, filters, '2026-03-01T00:10:00.000Z|5', 200, '*')];
    const w = buildWhere(db, filters);
    queries.push({ sql: `SELECT count(*) FROM ct_events ${w.sql}`, params: w.params });
    if (name === 'userAgent common prefix') {
      // A common prefix: the pages walk the time index and stop after a page (no sort of every match);
      // the count still searches the agent index.
      for (const q of queries.slice(0, 2)) {
        const text = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((p) => p.detail).join('\n');
        expect(text, text).toMatch(/USING INDEX ct_events_by_time/);
        expect(text, text).not.toMatch(/TEMP B-TREE/);
      }
      const count = (db.prepare(`EXPLAIN QUERY PLAN ${queries[2]!.sql}`).all(queries[2]!.params) as { detail: string }[]).map((p) => p.detail).join('\n');
      expect(count, count).toMatch(/SEARCH ct_events USING COVERING INDEX ct_events_by_agent/);
      return;
    }
    for (const q of queries) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(q.params) as { detail: string }[]).map((p) => p.detail);
      const text = plan.join('\n');
      expect(text, text).toMatch(/ct_events (USING|VIRTUAL)|USING (COVERING )?INDEX|INTEGER PRIMARY KEY/);
      for (const line of plan) expect(line, text).not.toMatch(/^SCAN ct_events$/);
      // With a filter, ct_events must be searched (an index range), not walked end to end.
      if (name !== 'none') for (const line of plan) expect(line, text).not.toMatch(/^SCAN ct_events\b(?!_fts)/);
      if (process.env.SHOW_PLANS) console.log(name, '::', text.replace(/\n/g, ' / '));
    }
  });

  it.each(FILTERS)('pages through the %s filter returning every matching event exactly once, in order', async (_name, filters, match) => {
    const expected = records.filter(match).map((r) => r.eventID ?? null);
    const seen: string[] = [];
    let cursor: string | undefined;
    let first = true;
    for (;;) {
      const page = await h.call('timeline.query', { caseId, filters, cursor, limit: 997 });
      if (first) expect(page.total).toBe(expected.length);
      first = false;
      for (const e of page.events) seen.push(e.eventId);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.length).toBe(expected.length);
    expect(new Set(seen).size).toBe(seen.length);
    // Records are generated in time order, so the timeline order is the generation order.
    expect(seen.filter((id) => !id.startsWith('sha256:'))).toEqual(expected.filter((id) => id !== null));
  });

  it('counts facets exactly as the source records do', async () => {
    const cases: [Parameters<typeof timelineFacets>[2], (r: Rec) => unknown][] = [
      ['eventSource', (r) => r.eventSource],
      ['errorCode', (r) => r.errorCode ?? null],
      ['readOnly', (r) => r.readOnly],
      ['sourceIp', (r) => r.sourceIPAddress],
    ];
    for (const [field, get] of cases) {
      const filters: TimelineFilters = { region: ['us-east-1'] };
      const counts = new Map<unknown, number>();
      for (const r of records.filter((x) => x.awsRegion === 'us-east-1')) counts.set(get(r), (counts.get(get(r)) ?? 0) + 1);
      const f = await h.call('timeline.facets', { caseId, filters, field, limit: 500 });
      expect(f.otherValues).toBe(0);
      expect(new Map(f.values.map((v) => [v.value, v.count]))).toEqual(counts);
      const sorted = f.values.map((v) => v.count);
      expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    }
    const top = await h.call('timeline.facets', { caseId, field: 'sourceIp', limit: 5 });
    expect(top.values).toHaveLength(5);
    expect(top.otherValues).toBe(new Set(records.map((r) => r.sourceIPAddress)).size - 5);
  });

  it('counts a histogram exactly as the source records do', async () => {
    const ranged = { eventName: ['GetObject'], from: '2026-03-01T00:20:00Z', to: '2026-03-01T03:00:00Z' };
    const inRange = (r: Rec) => Date.parse(r.eventTime) >= Date.parse(ranged.from) && Date.parse(r.eventTime) < Date.parse(ranged.to);
    const cases: [TimelineFilters, (r: Rec) => boolean][] = [[{}, () => true], [ranged, (r) => r.eventName === 'GetObject' && inRange(r)]];
    for (const [filters, match] of cases) {
      const hist = await h.call('timeline.histogram', { caseId, filters, buckets: 37 });
      const matched = records.filter(match);
      const from = Date.parse(hist.from!);
      const expected = new Array(hist.buckets.length).fill(0);
      for (const r of matched) expected[Math.floor((Date.parse(r.eventTime) - from) / hist.bucketMs)]++;
      expect(hist.buckets.map((b) => b.count)).toEqual(expected);
      expect(hist.buckets.length).toBeLessThanOrEqual(37);
      expect(expected.reduce((a, b) => a + b, 0)).toBe(matched.length);
    }
  });

  it('opens one event with its raw record and the log file it came from', async () => {
    const e = await h.call('timeline.event', { caseId, eventId: 'ev-4001' });
    expect(JSON.parse(e.raw)).toEqual(records[4001]);
    expect(e.resources).toEqual(['arn:aws:s3:::bucket-4001']);
    const artifact = await h.call('evidence.get', { caseId, artifactId: e.source.artifactId });
    expect(artifact.name).toBe('part1.json.gz');
    expect(e.source.sha256).toBe(artifact.hashes!.sha256);
    expect((await h.fail('timeline.event', { caseId, eventId: 'nope' })).code).toBe('NOT_FOUND');
  });

  it('rejects bad cursors, zone-less times and oversized limits', async () => {
    expect((await h.fail('timeline.query', { caseId, filters: {}, cursor: 'garbage' })).code).toBe('INVALID_INPUT');
    expect((await h.fail('timeline.query', { caseId, filters: { from: '2026-03-01T00:00:00' } })).code).toBe('INVALID_INPUT');
    expect((await h.fail('timeline.query', { caseId, filters: {}, limit: 1001 })).code).toBe('INVALID_INPUT');
    expect((await h.fail('timeline.query', { caseId, filters: { eventName: [] } })).code).toBe('INVALID_INPUT');
    const tooMany = await h.fail('timeline.query', { caseId, filters: { eventIds: [...MANY_IDS, 'ev-0'] } });
    expect(tooMany).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('At most 5,000 event ids') });
    for (const eventIds of [[], [''], ['x'.repeat(201)]]) {
      expect((await h.fail('timeline.query', { caseId, filters: { eventIds } })).code).toBe('INVALID_INPUT');
    }
  });
});
