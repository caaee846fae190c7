// Logs section of `npm run bench` (issue 4): CloudTrail ingest of synthetic .json.gz files until the
// timeline is filterable, against plain gunzip + JSON.parse of the same files in the same run; the
// full-text index job's time; first-page timeline queries per filter kind. Asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle-entry.mjs';
import { bundleIngestWorker } from './bundle-ingest-worker.mjs';
import { ensureLogFiles } from './logs-data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const PER_FILE = 10_000;

/**
 * Env: BENCH_LOGS_EVENTS (default 1000000); BENCH_LOGS_INLINE=1 adds a run with the parser on the
 * job's own thread; BENCH_LOGS_KEEP=1 keeps the generated files for the next run (else deleted).
 */
export async function logsSection({ timed, runs }) {
  const total = Math.max(PER_FILE, Number(process.env.BENCH_LOGS_EVENTS ?? 1_000_000));
  console.log(`\n== logs: CloudTrail ingest of ${total} synthetic events in .json.gz files of ${PER_FILE} (issue 4) ==`);
  console.log(`load average before: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs (figures are noisy when it exceeds the CPU count)`);
  const dataDir = path.join(os.tmpdir(), `caseward-bench-logs-${total}`);
  const cache = path.join(root, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  // Inside the project, so the runner's external better-sqlite3 (native) resolves from node_modules.
  const bundleDir = fs.mkdtempSync(path.join(cache, 'caseward-bench-logs-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-bench-logs-case-'));
  try {
    const t0 = Date.now();
    const { files, state } = ensureLogFiles(dataDir, total, PER_FILE);
    const gzBytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    console.log(`data: ${files.length} files, ${(gzBytes / 2 ** 20).toFixed(0)} MiB gzipped in ${dataDir} (${state}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const runner = await bundleEntry(path.join(here, 'logs-runner.ts'), bundleDir, 'logs-runner', ['better-sqlite3']);
    // Next to the runner bundle, where the ingest looks for its worker (as next to the app's bundle).
    await bundleIngestWorker(bundleDir);
    fs.copyFileSync(path.join(root, 'main', 'core', 'hashing', 'hash-worker.cjs'), path.join(bundleDir, 'hash-worker.cjs'));

    const modes = process.env.BENCH_LOGS_INLINE === '1' ? ['worker', 'inline'] : ['worker'];
    const best = { parse: null, worker: null, inline: null };
    // Round robin, fastest kept: load from other processes spreads over the reference and ours alike.
    for (let r = 0; r < runs; r++) {
      const p = await timed(process.execPath, [path.join(here, 'logs-parse-runner.mjs'), dataDir]);
      const inner = JSON.parse(p.stdout.trim().split('\n').at(-1));
      if (!best.parse || inner.seconds < best.parse.inner.seconds) best.parse = { res: p, inner };
      for (const mode of modes) {
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(work);
        const res = await timed(process.execPath, [runner, mode, dataDir, work]);
        const out = JSON.parse(res.stdout.trim().split('\n').at(-1));
        if (!best[mode] || out.ingestSeconds < best[mode].out.ingestSeconds) best[mode] = { res, out };
      }
    }
    report(best, total, runs);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(bundleDir, { recursive: true, force: true });
    if (process.env.BENCH_LOGS_KEEP === '1') console.log(`(data kept: rm -r ${dataDir})`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(best, total, runs) {
  const parseRate = best.parse.inner.events / best.parse.inner.seconds;
  const row = (name, seconds, rate, cpu, rss) =>
    console.log(name.padEnd(46) + [seconds.toFixed(2), rate.toFixed(0), cpu === null ? 'n/a' : cpu.toFixed(2)].map((c) => c.padStart(10)).join('') + (rss === null ? 'n/a' : (rss / 1024).toFixed(0)).padStart(14));
  console.log(`\nfastest of ${runs} run(s) each:`);
  console.log('step'.padEnd(46) + ['seconds', 'events/s', 'CPU s'].map((h) => h.padStart(10)).join('') + 'peak RSS MiB'.padStart(14));
  row('gunzip + JSON.parse (reference)', best.parse.inner.seconds, parseRate, best.parse.res.cpuSeconds, best.parse.res.rssKiB);
  for (const mode of ['worker', 'inline']) {
    const b = best[mode];
    if (!b) continue;
    const o = b.out;
    console.log(`${`ingest, parser ${o.parser}`.padEnd(46)}  (${o.inserted} of ${o.records} records stored)`);
    // CPU and RSS are the whole runner process: evidence add, ingest, FTS and queries.
    row('  until filterable (job, indexes included)', o.ingestSeconds, o.records / o.ingestSeconds, b.res.cpuSeconds, o.rssIngestKiB);
    row('  of which: building the 11 indexes', o.indexSeconds, o.records / o.indexSeconds, null, null);
    row('  then: full-text index job (logs.index)', o.ftsSeconds, o.ftsIndexed / o.ftsSeconds, null, b.res.rssKiB);
  }
  const ours = best.worker.out;
  const line = (label, shown, goal, met) => console.log(`  ${label.padEnd(46)} ${shown.padStart(8)}   target ${goal}  ${met ? 'met' : 'MISSED'}`);
  const ratio = ours.records / ours.ingestSeconds / parseRate;
  console.log('\nratios:');
  line('ingest vs gunzip+JSON.parse', `${ratio.toFixed(2)}x`, '>= 0.4x', ratio >= 0.4);
  const rssMiB = ours.rssIngestKiB / 1024;
  line('peak RSS until filterable', `${rssMiB.toFixed(0)} MiB`, '< 1024 MiB', rssMiB < 1024);
  if (best.inline) console.log(`    for information: worker vs inline parser ${(best.inline.out.ingestSeconds / ours.ingestSeconds).toFixed(2)}x`);
  console.log(`\ntimeline first page (200 rows + capped count), ${ours.records} events; full scan ${ours.fullScanMs.toFixed(0)} ms:`);
  console.log('filter'.padEnd(30) + ['rows', 'median ms', 'p95 ms', 'p95/scan'].map((h) => h.padStart(11)).join(''));
  let worst = 0;
  for (const q of ours.queries) {
    worst = Math.max(worst, q.p95Ms / ours.fullScanMs);
    console.log(q.name.padEnd(30) + [String(q.rows), q.medianMs.toFixed(1), q.p95Ms.toFixed(1), (q.p95Ms / ours.fullScanMs).toFixed(3)].map((c) => c.padStart(11)).join(''));
  }
  line('slowest first page (p95) vs full scan', worst.toFixed(3), '< 0.1', worst < 0.1);
}
