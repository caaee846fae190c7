/**
 * The ingest with its parse worker thread (the bundled parse-worker.ts, as the app ships it) must
 * give exactly what the inline parser gives: per-file counts, dedupe, errors, custody, rows; and
 * stay cancellable at a batch boundary while the worker reads ahead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setIngestWorkerScript } from '../../main/core/logs/ingest/parse-feed.js';
import { bundleIngestWorker } from '../bench/bundle-ingest-worker.mjs';
import { startHarness, tempDir, removeTree, type Harness } from '../support/app-harness.js';
import { syntheticRecords, writeSyntheticFiles } from '../support/logs-synthetic.js';

interface Ingested { files: Record<string, unknown>[]; totals: Record<string, number>; problems: number; parser: string }

let bundleDir: string;
let workerScript: string;

beforeAll(async () => {
  bundleDir = tempDir('caseward-ingest-worker-');
  workerScript = await bundleIngestWorker(bundleDir);
}, 60_000);
afterAll(() => {
  setIngestWorkerScript(undefined);
  removeTree(bundleDir);
});

/** Mixed input: gz, plain JSON array overlapping it, a truncated gzip, a file of the wrong kind. */
function writeInputs(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const all = syntheticRecords(8000);
  const files = [path.join(dir, 'a.json.gz'), path.join(dir, 'b.json'), path.join(dir, 'truncated.json.gz'), path.join(dir, 'notes.txt')];
  fs.writeFileSync(files[0]!, gzipSync(JSON.stringify({ Records: all.slice(0, 7000) })));
  fs.writeFileSync(files[1]!, JSON.stringify([...all.slice(6000), { eventTime: 'yesterday', eventSource: 'x', eventName: 'y' }]));
  const full = gzipSync(JSON.stringify({ Records: syntheticRecords(6000, 20_000) }));
  fs.writeFileSync(files[2]!, full.subarray(0, Math.floor(full.length / 2)));
  fs.writeFileSync(files[3]!, 'this is not a log file\n');
  return files;
}

async function ingest(h: Harness, inputs: string[], script: string | null) {
  setIngestWorkerScript(script);
  const c = await h.call('cases.create', { number: `IR-${script ? 'W' : 'I'}`, title: 'Parser' });
  const ids: string[] = [];
  for (const f of inputs) {
    const r = await h.call('evidence.add', { caseId: c.id, sourcePath: f, mode: 'copy' });
    await h.waitJob(c.id, r.jobId);
    ids.push(r.artifactId);
  }
  const { jobId } = await h.call('logs.ingest', { caseId: c.id, artifactIds: ids });
  const job = await h.waitJob(c.id, jobId);
  expect(job.state).toBe('succeeded');
  const db = new Database(path.join(c.path, 'case.sqlite'), { readonly: true });
  let rows: unknown[];
  try {
    rows = db.prepare('SELECT * FROM ct_events ORDER BY id').raw().all();
  } finally {
    db.close();
  }
  const log = await h.call('custody.list', { caseId: c.id, limit: 1000 });
  const custody = log.events.filter((e) => e.action === 'logs.ingested').map((e) => e.details);
  return { caseId: c.id, ids, result: job.result as unknown as Ingested, rows, custody, jobId };
}

/** Replaces the values that differ between two cases (artifact and job ids) by their position. */
function normalise(value: unknown, ids: string[], jobId: string): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => {
    if (typeof v !== 'string') return v;
    const at = ids.indexOf(v);
    if (at >= 0) return `artifact#${at}`;
    return v === jobId ? 'job' : v.replace(/[^\s]*\/(a\.json\.gz|b\.json|truncated\.json\.gz|notes\.txt)/g, '$1');
  });
}

describe('logs.ingest with the parse worker thread', () => {
  it('gives the same counts, errors, custody details and rows as the inline parser', async () => {
    const h = await startHarness();
    try {
      const inputs = writeInputs(path.join(h.root, 'src'));
      const inline = await ingest(h, inputs, null);
      const threaded = await ingest(h, inputs, workerScript);
      expect(inline.result.parser).toBe('inline');
      expect(threaded.result.parser).toBe('worker thread');
      const [a, b, t, w] = threaded.result.files;
      expect(a).toMatchObject({ status: 'complete', records: 7000, inserted: 7000, duplicates: 0 });
      expect(b).toMatchObject({ status: 'complete', records: 2000, inserted: 1000, duplicates: 1000, skipped: 1 });
      expect(t).toMatchObject({ status: 'partial' });
      expect((t!.error as { message: string }).message).toMatch(/truncated or corrupt gzip/);
      expect(t!.inserted).toBeGreaterThan(0);
      expect(w).toMatchObject({ status: 'partial', records: 0 });
      const same = (v: { ids: string[]; jobId: string }, x: unknown) => normalise(x, v.ids, v.jobId);
      expect(same(threaded, threaded.result.files)).toEqual(same(inline, inline.result.files));
      expect(same(threaded, threaded.custody)).toEqual(same(inline, inline.custody));
      expect(threaded.rows.length).toBe(8000 + (t!.inserted as number));
      expect(same(threaded, threaded.rows)).toEqual(same(inline, inline.rows));
    } finally {
      await h.dispose();
    }
  }, 180_000);

  it('is cancellable while the worker reads ahead, and accounts for exactly what it stored', async () => {
    setIngestWorkerScript(workerScript);
    const h = await startHarness();
    try {
      const c = await h.call('cases.create', { number: 'IR-CANCEL', title: 'Cancel' });
      const ids = [];
      // Enough rows that the job is still storing when the cancel arrives, even on an idle machine.
      for (const f of writeSyntheticFiles(path.join(h.root, 'big'), 100_000, 25_000)) {
        const r = await h.call('evidence.add', { caseId: c.id, sourcePath: f, mode: 'copy' });
        await h.waitJob(c.id, r.jobId);
        ids.push(r.artifactId);
      }
      const { jobId } = await h.call('logs.ingest', { caseId: c.id, artifactIds: ids });
      for (;;) {
        const j = (await h.call('jobs.list', { caseId: c.id })).find((x) => x.id === jobId)!;
        if (j.state !== 'queued' && (j.state !== 'running' || (j.progress?.itemsDone ?? 0) > 0)) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      await h.call('jobs.cancel', { caseId: c.id, jobId });
      const job = await h.waitJob(c.id, jobId);
      expect(job.state).toBe('cancelled');
      const log = await h.call('custody.list', { caseId: c.id, limit: 1000 });
      const done = log.events.filter((e) => e.action === 'logs.ingested');
      const stored = done.reduce((n, e) => n + (e.details.inserted as number), 0);
      expect(stored).toBeLessThan(100_000);
      const last = done.at(-1)!.details;
      expect(last.status).toBe('stopped');
      expect(last.records).toBe(last.inserted);
      const page = await h.call('timeline.query', { caseId: c.id, filters: {}, limit: 1 });
      expect(page.total).toBe(stored);
    } finally {
      await h.dispose();
    }
  }, 180_000);
});
