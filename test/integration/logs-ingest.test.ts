/**
 * CloudTrail ingest through the contract: log files are added as evidence, then ingested into
 * the case's timeline; counts, dedupe, bad files, custody, and the text index job.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CT_EVENT_INDEXES } from '../../main/core/cases/migrations/0020-cloudtrail-events.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords, writeSyntheticFiles } from '../support/logs-synthetic.js';

async function addEvidence(h: Harness, caseId: string, file: string): Promise<string> {
  const r = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
  const job = await h.waitJob(caseId, r.jobId);
  expect(job.state).toBe('succeeded');
  return r.artifactId;
}

interface FileResult { artifactId: string; status: string; records: number; inserted: number; duplicates: number; skipped: number; error: { message: string } | null }

describe('logs.ingest on generated CloudTrail files', () => {
  let h: Harness;
  let caseId: string;
  let casePath: string;
  beforeEach(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-LOGS', title: 'Logs' });
    caseId = c.id;
    casePath = c.path;
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('ingests every record, dedupes by event id, reports a truncated gzip and ingests the rest', async () => {
    const dir = path.join(h.root, 'src');
    // Two files with 6,000 records each; the second repeats the last 1,000 of the first.
    fs.mkdirSync(dir);
    const all = syntheticRecords(11_000);
    const a = path.join(dir, 'a.json.gz');
    fs.writeFileSync(a, gzipSync(JSON.stringify({ Records: all.slice(0, 6000) })));
    const b = path.join(dir, 'b.json');
    fs.writeFileSync(b, JSON.stringify(all.slice(5000)));
    const full = gzipSync(JSON.stringify({ Records: syntheticRecords(3000, 20_000) }));
    const truncated = path.join(dir, 'truncated.json.gz');
    fs.writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));
    const wrongKind = path.join(dir, 'notes.txt');
    fs.writeFileSync(wrongKind, 'this is not a log file\n');

    const ids = [];
    for (const f of [a, b, truncated, wrongKind]) ids.push(await addEvidence(h, caseId, f));
    const { jobId, indexJobId } = await h.call('logs.ingest', { caseId, artifactIds: ids });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state).toBe('succeeded');
    const result = job.result as { files: FileResult[]; totals: Record<string, number>; problems: number };
    const [ra, rb, rt, rw] = result.files;
    expect(ra).toMatchObject({ status: 'complete', records: 6000, inserted: 6000, duplicates: 0, skipped: 0, error: null });
    expect(rb).toMatchObject({ status: 'complete', records: 6000, inserted: 5000, duplicates: 1000, skipped: 0 });
    expect(rt!.status).toBe('partial');
    expect(rt!.error!.message).toMatch(/truncated or corrupt gzip/);
    expect(rt!.records).toBeLessThan(3000);
    expect(rt!.inserted).toBe(rt!.records);
    expect(rw).toMatchObject({ status: 'partial', records: 0, inserted: 0 });
    expect(rw!.error!.message).toMatch(/not a CloudTrail log file/);
    expect(result.problems).toBe(2);

    // Counted in the database independently of the job's own numbers.
    const db = new Database(path.join(casePath, 'case.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM ct_events').pluck().get()).toBe(11_000 + rt!.inserted);
      const noId = db.prepare("SELECT count(*) FROM ct_events WHERE event_id LIKE 'sha256:%'").pluck().get() as number;
      expect(noId).toBeGreaterThan(0);
      const src = db.prepare('SELECT source_sha256, source_artifact_id FROM ct_events WHERE event_id = ?').get('ev-5500') as { source_sha256: string; source_artifact_id: string };
      expect(src.source_artifact_id).toBe(ids[0]);
    } finally {
      db.close();
    }

    // One custody event per file, carrying the file's sha256 and counts.
    const log = await h.call('custody.list', { caseId, limit: 1000 });
    const ingested = log.events.filter((e) => e.action === 'logs.ingested');
    expect(ingested.map((e) => e.artifactId)).toEqual(ids);
    const artifactA = await h.call('evidence.get', { caseId, artifactId: ids[0]! });
    expect(ingested[0]!.details).toMatchObject({ sha256: artifactA.hashes!.sha256, records: 6000, inserted: 6000, jobId });
    expect(ingested[2]!.details).toMatchObject({ status: 'partial' });

    // The text index job follows and makes requestParameters searchable.
    const indexJob = await h.waitJob(caseId, indexJobId);
    expect(indexJob.error).toBeNull();
    expect(indexJob.state).toBe('succeeded');
    const hit = await h.call('timeline.query', { caseId, filters: { text: 'needle5123x' } });
    expect(hit.events.map((e) => e.eventId)).toEqual(['ev-5123']);
    expect(hit.textIndex.state).toBe('complete');

    // Again: nothing new, everything counted as a duplicate of this same artifact.
    const again = await h.call('logs.ingest', { caseId, artifactIds: ids.slice(0, 2) });
    const job2 = await h.waitJob(caseId, again.jobId);
    const files2 = (job2.result as { files: (FileResult & { duplicatesFromSameArtifact: number })[] }).files;
    expect(files2.map((f) => [f.inserted, f.duplicates])).toEqual([[0, 6000], [0, 6000]]);
    expect(files2[0]!.duplicatesFromSameArtifact).toBe(6000);
    expect(files2[1]!.duplicatesFromSameArtifact).toBe(5000);

    const chain = await h.call('custody.verifyChain', { caseId });
    expect(chain.ok).toBe(true);
  });

  it('fails the job when no file could be ingested, and refuses artifacts that are not complete', async () => {
    const bad = path.join(h.root, 'bad.json');
    fs.writeFileSync(bad, '{"Records": [ {"eventTime": ');
    const id = await addEvidence(h, caseId, bad);
    const { jobId } = await h.call('logs.ingest', { caseId, artifactIds: [id] });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/No file could be ingested/);
    const log = await h.call('custody.list', { caseId, limit: 1000 });
    expect(log.events.filter((e) => e.action === 'logs.ingested')).toHaveLength(1);
    const missing = await h.fail('logs.ingest', { caseId, artifactIds: ['no-such-artifact'] });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('is cancellable between batches and accounts for what it stored', async () => {
    const files = writeSyntheticFiles(path.join(h.root, 'big'), 60_000, 30_000);
    const ids = [];
    for (const f of files) ids.push(await addEvidence(h, caseId, f));
    const { jobId } = await h.call('logs.ingest', { caseId, artifactIds: ids });
    for (;;) {
      const j = (await h.call('jobs.list', { caseId })).find((x) => x.id === jobId)!;
      if (j.state === 'running' && (j.progress?.itemsDone ?? 0) > 0) break;
      if (j.state !== 'queued' && j.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await h.call('jobs.cancel', { caseId, jobId });
    const job = await h.waitJob(caseId, jobId);
    expect(job.state).toBe('cancelled');
    const log = await h.call('custody.list', { caseId, limit: 1000 });
    const stopped = log.events.filter((e) => e.action === 'logs.ingested');
    const stored = stopped.reduce((n, e) => n + (e.details.inserted as number), 0);
    const page = await h.call('timeline.query', { caseId, filters: {}, limit: 1 });
    expect(page.total).toBe(stored);
    expect(stopped.at(-1)!.details.status).toBe('stopped');
  });

  it('drops the secondary indexes for a bulk load and rebuilds them before the timeline is used', async () => {
    // Incompressible padding makes the gzip big enough for the size estimate to call it bulk.
    const recs: Record<string, unknown>[] = syntheticRecords(60_000).map((r, i) => ({ ...r, additionalEventData: { pad: randomBytes(150).toString('base64'), i } }));
    const file = path.join(h.root, 'bulk.json.gz');
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: recs })));
    const id = await addEvidence(h, caseId, file);
    const { jobId } = await h.call('logs.ingest', { caseId, artifactIds: [id] });
    const job = await h.waitJob(caseId, jobId);
    expect(job.result).toMatchObject({ indexes: 'rebuilt after load', totals: { records: 60_000, inserted: 60_000 } });
    const db = new Database(path.join(casePath, 'case.sqlite'), { readonly: true });
    try {
      const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ct_events' AND sql IS NOT NULL").pluck().all();
      expect((names as string[]).sort()).toEqual(Object.keys(CT_EVENT_INDEXES).sort());
    } finally {
      db.close();
    }
    const page = await h.call('timeline.query', { caseId, filters: { eventName: ['StopLogging'] }, limit: 1000 });
    expect(page.total).toBe(recs.filter((r) => r.eventName === 'StopLogging').length);
  });
});
