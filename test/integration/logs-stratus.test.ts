/**
 * The 35 Stratus Red Team detonation captures, added as evidence and ingested: every record is
 * stored once, a second ingest stores nothing, and facets, histogram and text search agree with
 * counts computed here straight from the files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';
import type { CtRecord } from '../support/logs-synthetic.js';

const STRATUS = path.resolve('../shared/testdata/stratus-red-team-detonation-logs');
const haveStratus = fs.existsSync(STRATUS);
if (!haveStratus) console.warn(`Skipping the Stratus ingest tests: ${STRATUS} is absent (../shared/testdata not mounted).`);
const files = haveStratus ? fs.readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort() : [];
type Rec = CtRecord;
const perFile: Rec[][] = files.map((f) => JSON.parse(fs.readFileSync(path.join(STRATUS, f), 'utf8')) as Rec[]);
const all = perFile.flat();

describe.skipIf(!haveStratus)('Stratus Red Team captures in the timeline', () => {
  let h: Harness;
  let caseId: string;
  let ids: string[];
  let truncatedId: string;
  let result: { files: { records: number; inserted: number; duplicates: number; status: string; error: { message: string } | null }[] };

  beforeAll(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR-STRATUS', title: 'Stratus' })).id;
    ids = [];
    for (const f of files) {
      const r = await h.call('evidence.add', { caseId, sourcePath: path.join(STRATUS, f), mode: 'copy' });
      expect((await h.waitJob(caseId, r.jobId)).state).toBe('succeeded');
      ids.push(r.artifactId);
    }
    // A truncated gzip among the inputs: reported, and everything else still ingested.
    const gz = gzipSync(JSON.stringify({ Records: perFile[0] }));
    const bad = path.join(h.root, 'truncated.json.gz');
    fs.writeFileSync(bad, gz.subarray(0, gz.length - 40));
    const r = await h.call('evidence.add', { caseId, sourcePath: bad, mode: 'copy' });
    await h.waitJob(caseId, r.jobId);
    truncatedId = r.artifactId;
    const ingest = await h.call('logs.ingest', { caseId, artifactIds: [...ids.slice(0, 10), truncatedId, ...ids.slice(10)] });
    const job = await h.waitJob(caseId, ingest.jobId);
    expect(job.state).toBe('succeeded');
    result = job.result as typeof result;
    expect((await h.waitJob(caseId, ingest.indexJobId)).state).toBe('succeeded');
  }, 120_000);
  afterAll(async () => {
    await h?.dispose();
  });

  it('stores every record once: rows = records − duplicate event ids', async () => {
    expect(files).toHaveLength(35);
    expect(all).toHaveLength(310);
    const unique = new Set(all.map((r) => r.eventID as string)).size;
    const page = await h.call('timeline.query', { caseId, filters: {}, limit: 1 });
    expect(page.total).toBe(unique);
    const good = result.files.filter((_, i) => i !== 10);
    expect(good.map((f) => f.records)).toEqual(perFile.map((p) => p.length));
    expect(good.every((f) => f.status === 'complete')).toBe(true);
    expect(good.reduce((n, f) => n + f.inserted, 0)).toBe(unique);
    expect(good.reduce((n, f) => n + f.duplicates, 0)).toBe(all.length - unique);
    const bad = result.files[10]!;
    expect(bad.status).toBe('partial');
    expect(bad.error!.message).toMatch(/truncated or corrupt gzip/);
    // Its records (if any were read) are the first file's, already stored: nothing new.
    expect(bad.inserted).toBe(0);
  });

  it('ingesting the same artifacts again inserts nothing and counts every record as a duplicate', async () => {
    const again = await h.call('logs.ingest', { caseId, artifactIds: ids });
    const job = await h.waitJob(caseId, again.jobId);
    const r = job.result as typeof result;
    expect(r.files.reduce((n, f) => n + f.inserted, 0)).toBe(0);
    expect(r.files.reduce((n, f) => n + f.duplicates, 0)).toBe(all.length);
  });

  it('counts facets and a histogram exactly as the files do', async () => {
    const bySource = new Map<string, number>();
    for (const r of all) bySource.set(r.eventSource, (bySource.get(r.eventSource) ?? 0) + 1);
    const f = await h.call('timeline.facets', { caseId, field: 'eventSource', limit: 500 });
    expect(new Map(f.values.map((v) => [v.value, v.count]))).toEqual(bySource);
    const errors = all.filter((r) => r.errorCode).length;
    const errPage = await h.call('timeline.query', { caseId, filters: { errorCode: 'any' } });
    expect(errPage.total).toBe(errors);

    const hist = await h.call('timeline.histogram', { caseId, filters: {}, buckets: 50 });
    const from = Date.parse(hist.from!);
    const expected = new Array(hist.buckets.length).fill(0);
    for (const r of all) expected[Math.floor((Date.parse(r.eventTime) - from) / hist.bucketMs)]++;
    expect(hist.buckets.map((b) => b.count)).toEqual(expected);
    expect(Date.parse(hist.from!)).toBe(Math.min(...all.map((r) => Date.parse(r.eventTime))));
  });

  it('finds an event by a string inside its requestParameters', async () => {
    const stop = all.find((r) => r.eventName === 'StopLogging')!;
    const name = stop.requestParameters!.name!;
    const hit = await h.call('timeline.query', { caseId, filters: { text: name } });
    expect(hit.events.map((e) => e.eventId)).toContain(stop.eventID);
    expect(hit.events.every((e) => JSON.stringify(all.find((r) => r.eventID === e.eventId)).includes(name))).toBe(true);
    const detail = await h.call('timeline.event', { caseId, eventId: stop.eventID! });
    expect(JSON.parse(detail.raw)).toEqual(stop);
    expect(detail.source.name).toBe('aws.defense-evasion.cloudtrail-stop.json');
  });

  it('filters by source IP in its own column', async () => {
    const ip = all.find((r) => r.sourceIPAddress)!.sourceIPAddress as string;
    const page = await h.call('timeline.query', { caseId, filters: { sourceIp: [ip] }, limit: 1000 });
    expect(page.events.length).toBe(all.filter((r) => r.sourceIPAddress === ip).length);
  });
});
