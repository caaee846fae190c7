// Child process of the logs bench: adds the CloudTrail files to a new case, ingests them with the
// real job (parse worker next to this bundle, or inline with `inline`), times the job until the
// timeline is filterable, then the full-text index job, then first-page queries per filter kind.
// Prints one JSON line; the parent measures wall time, CPU and peak RSS of the whole process.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TimelineFilters } from '../../shared/contract.js';
import { setIngestWorkerScript } from '../../main/core/logs/ingest/parse-feed.js';
import { startHarness } from '../support/app-harness.js';
import { NEEDLES } from './logs-data.mjs';

const QUERY_RUNS = 21;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const [mode, dir, work] = process.argv.slice(2);
  if (!mode || !dir || !work) throw new Error('usage: logs-runner worker|inline FILES_DIR WORK_DIR');
  if (mode === 'inline') setIngestWorkerScript(null);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort().map((f) => path.join(dir, f));
  const h = await startHarness({ root: work });
  try {
    const c = await h.call('cases.create', { number: 'IR-BENCH', title: 'Logs bench' });
    const ids: string[] = [];
    for (const f of files) {
      const r = await h.call('evidence.add', { caseId: c.id, sourcePath: f, mode: 'copy' });
      const job = await h.waitJob(c.id, r.jobId);
      if (job.state !== 'succeeded') throw new Error(`evidence.add ${f}: ${job.state} ${JSON.stringify(job.error)}`);
      ids.push(r.artifactId);
    }
    const rssBefore = process.resourceUsage().maxRSS;
    const t0 = performance.now();
    const { jobId, indexJobId } = await h.call('logs.ingest', { caseId: c.id, artifactIds: ids });
    const job = await h.waitJob(c.id, jobId);
    const ingestSeconds = (performance.now() - t0) / 1000;
    if (job.state !== 'succeeded') throw new Error(`logs.ingest ${job.state}: ${JSON.stringify(job.error)}`);
    const rssIngestKiB = process.resourceUsage().maxRSS;
    const index = await h.waitJob(c.id, indexJobId);
    if (index.state !== 'succeeded') throw new Error(`logs.index ${index.state}: ${JSON.stringify(index.error)}`);
    const result = job.result as { totals: { records: number; inserted: number }; indexSeconds: number; parser: string; seconds: number };
    const indexResult = index.result as { seconds: number; indexed: number };

    // A full scan: every row read, raw record included, as a filter without an index would.
    const db = new Database(path.join(c.path, 'case.sqlite'), { readonly: true });
    const scans: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s0 = performance.now();
      db.prepare("SELECT count(*) FROM ct_events WHERE instr(raw, 'no-such-needle') > 0").get();
      scans.push(performance.now() - s0);
    }
    db.close();
    const fullScanMs = scans.sort((a, b) => a - b)[1]!;

    const kinds: [string, TimelineFilters][] = [
      ['none', {}],
      ['time range (1 h)', { from: '2026-03-01T01:00:00Z', to: '2026-03-01T02:00:00Z' }],
      ['event source', { eventSource: ['cloudtrail.amazonaws.com'] }],
      ['event name', { eventName: [NEEDLES.eventName] }],
      ['identity ARN', { identityArn: ['arn:aws:sts::111122223333:assumed-role/BreakGlass/session-7'] }],
      ['access key', { accessKeyId: [NEEDLES.accessKeyId] }],
      ['source IP', { sourceIp: [NEEDLES.sourceIp] }],
      ['region', { region: ['ap-southeast-2'] }],
      ['account', { accountId: ['777788889999'] }],
      ['error code (any)', { errorCode: 'any' }],
      ['read-only false', { readOnly: false }],
      ['user-agent prefix', { userAgentPrefix: NEEDLES.userAgentPrefix }],
      ['text', { text: 'v417' }],
      ['name + region + time', { eventName: ['GetObject'], region: ['eu-west-1'], from: '2026-03-01T00:00:00Z', to: '2026-03-01T06:00:00Z' }],
    ];
    const queries = [];
    for (const [name, filters] of kinds) {
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i < QUERY_RUNS; i++) {
        const q0 = performance.now();
        const page = await h.call('timeline.query', { caseId: c.id, filters, limit: 200 });
        ms.push(performance.now() - q0);
        rows = page.events.length;
      }
      ms.sort((a, b) => a - b);
      queries.push({ name, rows, medianMs: percentile(ms, 50), p95Ms: percentile(ms, 95) });
    }
    console.log(JSON.stringify({
      parser: result.parser, records: result.totals.records, inserted: result.totals.inserted, ingestSeconds,
      jobSeconds: result.seconds, indexSeconds: result.indexSeconds, ftsSeconds: indexResult.seconds, ftsIndexed: indexResult.indexed,
      rssBeforeKiB: rssBefore, rssIngestKiB, fullScanMs, queries,
    }));
  } finally {
    await h.dispose();
  }
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
