/**
 * VPC flow logs through the contract: files added as evidence, ingested into flow_records,
 * deduplicated, reported in custody, filtered with indexes, and intersected with CloudTrail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowCountQuery, flowPageQuery, TOUCHING_TERM } from '../../main/core/logs/flows/index.js';
import type { FlowFilters } from '../../shared/contract-flows.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords } from '../support/logs-synthetic.js';

const SAMPLE = path.resolve('../shared/testdata/vpcflow-samples/grafana-lambda-promtail_vpcflowlog.log.gz');
const DEFAULT = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const BASE = 1_772_323_200; // 2026-03-01T00:00:00Z in epoch seconds

async function addEvidence(h: Harness, caseId: string, file: string): Promise<string> {
  const r = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
  expect((await h.waitJob(caseId, r.jobId)).state).toBe('succeeded');
  return r.artifactId;
}

interface FileResult { status: string; records: number; inserted: number; duplicates: number; skipped: number; skippedByCode: Record<string, number>; error: { message: string } | null }

/** Generated default-format lines: address i%50 talks to 203.0.113.(i%7) on port 443 or 22, some REJECTed, UDP every 5th. */
function generated(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const proto = i % 5 === 0 ? 17 : 6;
    const action = i % 4 === 0 ? 'REJECT' : 'ACCEPT';
    const out = i % 2 === 0;
    const a = `10.0.0.${i % 50}`;
    const b = `203.0.113.${i % 7}`;
    const port = i % 3 === 0 ? 22 : 443;
    const eph = 30000 + (i % 1000);
    return out
      ? `2 111122223333 eni-${i % 3} ${a} ${b} ${eph} ${port} ${proto} 5 400 ${BASE + i} ${BASE + i + 60} ${action} OK`
      : `2 111122223333 eni-${i % 3} ${b} ${a} ${port} ${eph} ${proto} 5 400 ${BASE + i} ${BASE + i + 60} ${action} OK`;
  });
}

describe('flows.ingest and flows.query', () => {
  let h: Harness;
  let caseId: string;
  let casePath: string;
  let src: string;
  beforeEach(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-FLOWS', title: 'Flows' });
    caseId = c.id;
    casePath = c.path;
    src = path.join(h.root, 'src');
    fs.mkdirSync(src);
  });
  afterEach(async () => {
    await h.dispose();
  });

  async function ingest(ids: string[]) {
    const { jobId } = await h.call('flows.ingest', { caseId, artifactIds: ids });
    const job = await h.waitJob(caseId, jobId);
    return job;
  }

  it.skipIf(!fs.existsSync(SAMPLE))('ingests the shared sample file: one row per non-header line', async () => {
    const expected = gunzipSync(fs.readFileSync(SAMPLE)).toString('utf8').split('\n').filter((l) => l.trim() !== '').length - 1;
    const id = await addEvidence(h, caseId, SAMPLE);
    const job = await ingest([id]);
    expect(job.state).toBe('succeeded');
    const files = job.result!.files as FileResult[];
    expect(files[0]).toMatchObject({ status: 'complete', records: expected, inserted: expected, skipped: 0 });
    const page = await h.call('flows.query', { caseId, limit: 1000 });
    expect(page.total).toBe(expected);
    expect(page.flows[0]).toMatchObject({ accountId: '123456789012', protocolName: 'TCP', source: { artifactId: id } });
  });
  if (!fs.existsSync(SAMPLE)) console.warn(`flows-ingest: ${SAMPLE} is absent; the shared sample test is skipped`);

  it('ingests generated default and custom files, dedupes a re-ingest, counts bad lines, keeps the rows before a truncated gzip', async () => {
    const lines = generated(12_000);
    const a = path.join(src, 'eni-default.log.gz');
    fs.writeFileSync(a, gzipSync([DEFAULT, ...lines.slice(0, 6000), 'not a record', '2 1 eni-1 - - - - - - - 1772323200 1772323260 - NODATA', '2 1 eni-1 - - - - - - - 1772323200 1772323260 - SKIPDATA', ''].join('\n')));
    const custom = path.join(src, 'custom.log');
    fs.writeFileSync(custom, [
      'vpc-id subnet-id instance-id interface-id srcaddr dstaddr srcport dstport protocol start end action log-status flow-direction tcp-flags pkt-srcaddr',
      `vpc-1 subnet-1 i-1 eni-9 10.9.0.1 192.0.2.1 5555 80 6 ${BASE} ${BASE + 60} ACCEPT OK egress 2 10.9.0.1`,
      `vpc-1 subnet-1 i-1 eni-9 192.0.2.1 10.9.0.1 80 5555 6 ${BASE} ${BASE + 60} ACCEPT OK ingress 18 192.0.2.1`,
    ].join('\n'));
    const full = gzipSync([DEFAULT, ...lines.slice(6000)].join('\n'));
    const cut = path.join(src, 'cut.log.gz');
    fs.writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const ids = [await addEvidence(h, caseId, a), await addEvidence(h, caseId, custom), await addEvidence(h, caseId, cut)];

    const job = await ingest(ids);
    expect(job.state).toBe('succeeded');
    const [fa, fc, fcut] = job.result!.files as FileResult[];
    expect(fa).toMatchObject({ status: 'complete', records: 6002, inserted: 6002, skipped: 1, skippedByCode: { 'field-count': 1 } });
    expect(fc).toMatchObject({ status: 'complete', records: 2, inserted: 2 });
    expect(fcut!.status).toBe('partial');
    expect(fcut!.error!.message).toMatch(/gzip data is truncated or corrupt/);
    expect(fcut!.inserted).toBeGreaterThan(0);
    expect(fcut!.inserted).toBe(fcut!.records);
    expect(job.result!.problems).toBe(1);

    const again = await ingest(ids.slice(0, 2));
    expect(again.result!.totals).toMatchObject({ inserted: 0, duplicates: 6004 });

    const db = new Database(path.join(casePath, 'case.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM flow_records').pluck().get()).toBe(6004 + fcut!.inserted);
      const c = db.prepare("SELECT * FROM flow_records WHERE interface_id = 'eni-9' ORDER BY line").all() as Record<string, unknown>[];
      expect(c[0]).toMatchObject({ vpc_id: 'vpc-1', subnet_id: 'subnet-1', instance_id: 'i-1', flow_direction: 'egress', version: null, packets: null, line: 2 });
      expect(JSON.parse(c[1]!.extra as string)).toEqual({ 'tcp-flags': '18', 'pkt-srcaddr': '192.0.2.1' });
      expect(db.prepare("SELECT count(*) FROM flow_records WHERE log_status IN ('NODATA', 'SKIPDATA') AND srcaddr IS NULL").pluck().get()).toBe(2);
      const custody = db.prepare("SELECT artifact_id, details FROM custody_events WHERE action = 'flows.ingested' ORDER BY seq").all() as { artifact_id: string; details: string }[];
      expect(custody.map((e) => e.artifact_id)).toEqual([...ids, ids[0], ids[1]]);
      expect(JSON.parse(custody[0]!.details)).toMatchObject({ records: 6002, inserted: 6002, skipped: 1, status: 'complete' });
    } finally {
      db.close();
    }

    // Filters against an independent count of the generated lines (the cut file's rows start at line 6002 + 2 of a, so use a only).
    const fromA = lines.slice(0, 6000).map((l) => l.split(' '));
    const count = (pred: (f: string[]) => boolean) => fromA.filter(pred).length;
    const q = async (filters: FlowFilters) => {
      const all = [];
      let cursor: string | undefined;
      do {
        const p = await h.call('flows.query', { caseId, filters: { ...filters, to: '2026-03-01T01:40:00Z' }, cursor, limit: 700 });
        all.push(...p.flows);
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      return all.filter((f) => f.source.artifactId === ids[0]);
    };
    expect((await q({ address: '10.0.0.7' })).length).toBe(count((f) => f[3] === '10.0.0.7' || f[4] === '10.0.0.7'));
    expect((await q({ port: 22 })).length).toBe(count((f) => f[5] === '22' || f[6] === '22'));
    expect((await q({ protocol: 17, action: 'REJECT' })).length).toBe(count((f) => f[7] === '17' && f[12] === 'REJECT'));
    expect((await q({ interfaceId: 'eni-2', from: '2026-03-01T00:10:00Z' })).length).toBe(count((f) => f[2] === 'eni-2' && Number(f[10]) >= BASE + 600));
    const paged = await q({});
    expect(new Set(paged.map((f) => f.id)).size).toBe(paged.length);
    expect(paged.map((f) => f.startTime)).toEqual([...paged.map((f) => f.startTime)].sort());
  });

  it('finds the flows whose addresses made CloudTrail calls, with the call count per address', async () => {
    const records = syntheticRecords(40);
    records.forEach((r, i) => (r.sourceIPAddress = i < 3 ? '198.51.100.9' : i < 4 ? '10.0.0.5' : 'ec2.amazonaws.com'));
    const ct = path.join(src, 'trail.json');
    fs.writeFileSync(ct, JSON.stringify({ Records: records }));
    const ctId = await addEvidence(h, caseId, ct);
    expect((await h.waitJob(caseId, (await h.call('logs.ingest', { caseId, artifactIds: [ctId] })).jobId)).state).toBe('succeeded');
    const flows = path.join(src, 'flows.log');
    fs.writeFileSync(flows, [
      DEFAULT,
      `2 1 eni-1 198.51.100.9 10.0.0.5 40000 443 6 1 60 ${BASE} ${BASE + 60} ACCEPT OK`,
      `2 1 eni-1 10.0.0.5 198.51.100.9 443 40000 6 1 60 ${BASE + 1} ${BASE + 61} ACCEPT OK`,
      `2 1 eni-1 10.0.0.6 192.0.2.50 40001 443 6 1 60 ${BASE + 2} ${BASE + 62} ACCEPT OK`,
      `2 1 eni-1 192.0.2.50 10.0.0.5 40001 22 6 1 60 ${BASE + 3} ${BASE + 63} REJECT OK`,
    ].join('\n'));
    expect((await ingest([await addEvidence(h, caseId, flows)])).state).toBe('succeeded');
    const t = await h.call('flows.touchingCloudTrail', { caseId, limit: 2 });
    expect(t.addresses).toEqual([
      { address: '10.0.0.5', cloudTrailEvents: 1, flows: 3 },
      { address: '198.51.100.9', cloudTrailEvents: 3, flows: 2 },
    ]);
    const next = await h.call('flows.touchingCloudTrail', { caseId, limit: 2, cursor: t.nextCursor! });
    expect(next.nextCursor).toBeNull();
    const all = [...t.flows, ...next.flows];
    expect(all.map((f) => [f.srcaddr, f.matchedAddress, f.cloudTrailEvents])).toEqual([
      ['198.51.100.9', '198.51.100.9', 3],
      ['10.0.0.5', '10.0.0.5', 1],
      ['192.0.2.50', '10.0.0.5', 1],
    ]);
    const rejected = await h.call('flows.touchingCloudTrail', { caseId, filters: { action: 'REJECT' } });
    expect(rejected.flows.map((f) => f.dstport)).toEqual([22]);
    expect(rejected.addresses).toEqual([{ address: '10.0.0.5', cloudTrailEvents: 1, flows: 1 }]);
  });

  it('serves every filter from an index (EXPLAIN QUERY PLAN)', async () => {
    const file = path.join(src, 'many.log');
    fs.writeFileSync(file, [DEFAULT, ...generated(3000)].join('\n'));
    expect((await ingest([await addEvidence(h, caseId, file)])).state).toBe('succeeded');
    const db = new Database(path.join(casePath, 'case.sqlite'), { readonly: true });
    try {
      const plan = (sql: string, params: object) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
      const cases: [string, FlowFilters, RegExp][] = [
        ['time', { from: '2026-03-01T00:10:00Z', to: '2026-03-01T00:20:00Z' }, /flow_records_by_time/],
        ['address', { address: '10.0.0.7' }, /flow_records_by_srcaddr[\s\S]*flow_records_by_dstaddr|flow_records_by_dstaddr[\s\S]*flow_records_by_srcaddr/],
        ['port', { port: 22 }, /flow_records_by_srcport[\s\S]*flow_records_by_dstport|flow_records_by_dstport[\s\S]*flow_records_by_srcport/],
        ['protocol', { protocol: 17 }, /flow_records_by_protocol/],
        ['action', { action: 'REJECT' }, /flow_records_by_action/],
        ['interface', { interfaceId: 'eni-2' }, /flow_records_by_interface/],
      ];
      for (const [name, filters, index] of cases) {
        const pages = [flowPageQuery(filters, undefined, 201), flowPageQuery(filters, '2026-03-01T00:15:00.000Z|100', 201)];
        for (const q of pages) {
          const p = plan(q.sql, q.params);
          expect(p, name).toMatch(index);
          expect(p, name).not.toMatch(/SCAN flow_records/);
        }
        const c = plan(flowCountQuery(filters).sql, flowCountQuery(filters).params);
        expect(c, name).toMatch(index);
        expect(c, name).not.toMatch(/SCAN flow_records/);
      }
      const t = flowPageQuery({}, undefined, 201, TOUCHING_TERM);
      expect(plan(t.sql, t.params)).toMatch(/ct_events_by_ip/);
    } finally {
      db.close();
    }
  });
});
