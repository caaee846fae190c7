/**
 * Ingest rate on synthetic CloudTrail files, beside plain gunzip + JSON.parse of the same files.
 * A measurement, not a timed test: it runs only with CASEWARD_LOGS_RATE=<events> (e.g. 200000)
 * and asserts counts, printing the rates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TimelineFilters } from '../../shared/contract.js';
import { startHarness } from '../support/app-harness.js';
import { writeSyntheticFiles } from '../support/logs-synthetic.js';

const N = Number(process.env.CASEWARD_LOGS_RATE ?? 0);
if (!N) console.warn('Skipping the ingest rate measurement: set CASEWARD_LOGS_RATE=<events> to run it.');

describe.skipIf(!N)('ingest rate', () => {
  it(`ingests ${N} synthetic events and reports events/s`, async () => {
    const h = await startHarness();
    try {
      const files = writeSyntheticFiles(path.join(h.root, 'logs'), N, 20_000);
      let t = performance.now();
      let parsed = 0;
      for (const f of files) parsed += (JSON.parse(gunzipSync(fs.readFileSync(f)).toString('utf8')) as { Records: unknown[] }).Records.length;
      const parseRate = parsed / ((performance.now() - t) / 1000);
      const c = await h.call('cases.create', { number: 'IR-RATE', title: 'Rate' });
      const ids = [];
      for (const f of files) {
        const r = await h.call('evidence.add', { caseId: c.id, sourcePath: f, mode: 'copy' });
        await h.waitJob(c.id, r.jobId);
        ids.push(r.artifactId);
      }
      t = performance.now();
      const { jobId, indexJobId } = await h.call('logs.ingest', { caseId: c.id, artifactIds: ids });
      const job = await h.waitJob(c.id, jobId);
      const ingestS = (performance.now() - t) / 1000;
      const index = await h.waitJob(c.id, indexJobId);
      const totalS = (performance.now() - t) / 1000;
      expect(job.result).toMatchObject({ totals: { records: N, inserted: N } });
      expect(index.state).toBe('succeeded');
      const rss = process.memoryUsage().rss;
      // First page (with its capped count) per filter kind: median of 5.
      const kinds: [string, TimelineFilters][] = [
        ['none', {}], ['time', { from: '2026-03-02T00:00:00Z', to: '2026-03-02T01:00:00Z' }], ['eventName', { eventName: ['StopLogging'] }],
        ['sourceIp', { sourceIp: ['203.0.113.7'] }], ['accessKeyId', { accessKeyId: ['AKIA0000000000000042'] }],
        ['errorCode any', { errorCode: 'any' }], ['readOnly', { readOnly: false }], ['userAgent', { userAgentPrefix: 'Boto3/1.34.3' }],
        ['text', { text: `needle${Math.floor(N / 2)}x` }],
      ];
      const timings = [];
      for (const [name, filters] of kinds) {
        const ms = [];
        for (let i = 0; i < 5; i++) {
          const q0 = performance.now();
          await h.call('timeline.query', { caseId: c.id, filters, limit: 200 });
          ms.push(performance.now() - q0);
        }
        timings.push(`${name} ${ms.sort((a, b) => a - b)[2]!.toFixed(1)} ms`);
      }
      console.log(`first page + count, median: ${timings.join('; ')}`);
      console.log(
        `ingest ${N} events: ${(N / ingestS).toFixed(0)} events/s (${ingestS.toFixed(1)} s, filterable); ` +
          `text index +${(totalS - ingestS).toFixed(1)} s; gunzip+JSON.parse ${parseRate.toFixed(0)} events/s; ` +
          `ratio ${(N / ingestS / parseRate).toFixed(2)}; indexes ${(job.result as { indexes: string }).indexes}; rss ${(rss / 2 ** 20).toFixed(0)} MiB`,
      );
    } finally {
      await h.dispose();
    }
  }, 900_000);
});
