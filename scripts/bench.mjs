// `npm run bench`: Caseward's hashing throughput against the examiner's usual tools, side by side in
// one run on the same file. It prints figures and the ratios the product promises; it asserts nothing.
//
// Env: BENCH_SIZE_MIB (default 4096) size of the test file; BENCH_RUNS (default 1) runs per tool,
// the fastest is kept; BENCH_DIR (default os.tmpdir()) where the test file and the copy go.
// BENCH_ONLY=hash,images,ebs,logs (default all) picks sections; BENCH_EBS_GIB (default 4) sizes the EBS one;
// BENCH_LOGS_EVENTS (default 1000000) the logs one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleHashing } from '../test/bench/bundle-hashing.mjs';
import { ebsSection } from '../test/bench/ebs-section.mjs';
import { imagesSection } from '../test/bench/images-section.mjs';
import { logsSection } from '../test/bench/logs-section.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;
const sizeMiB = Number(process.env.BENCH_SIZE_MIB ?? 4096);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const workDir = process.env.BENCH_DIR ?? os.tmpdir();
const dataFile = path.join(workDir, `caseward-bench-${sizeMiB}MiB.bin`);
const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Where `tool` is on PATH, or null. */
function which(tool) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, tool);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** A file of `sizeMiB` MiB: one 64 MiB random block repeated (not sparse), reused when present. */
function ensureDataFile() {
  const bytes = sizeMiB * MiB;
  if (fs.existsSync(dataFile) && fs.statSync(dataFile).size === bytes) return 'reused';
  const block = randomBytes(Math.min(64 * MiB, bytes));
  const fd = fs.openSync(`${dataFile}.part`, 'w');
  for (let done = 0; done < bytes; done += block.length) {
    fs.writeSync(fd, block, 0, Math.min(block.length, bytes - done));
  }
  fs.closeSync(fd);
  fs.renameSync(`${dataFile}.part`, dataFile);
  return 'created';
}

/** Reads the whole file once so that it sits in the page cache. */
function warm(file) {
  const buffer = Buffer.allocUnsafe(16 * MiB);
  const fd = fs.openSync(file, 'r');
  while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  fs.closeSync(fd);
}

/** Runs a command to completion; resolves with wall seconds, stdout and peak RSS (KiB, if measurable). */
function timed(cmd, args) {
  const rssFile = path.join(os.tmpdir(), `caseward-bench-rss-${process.pid}`);
  const [file, argv] = timeBin ? [timeBin, ['-o', rssFile, '-f', '%M %U %S', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout = (stdout + d).slice(0, 65536)));
    // dc3dd redraws its progress on stderr; keep only the tail for error reports.
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // /usr/bin/time's last line: peak RSS in KiB, then user and system CPU seconds.
      let rssKiB = null;
      let cpuSeconds = null;
      if (timeBin && fs.existsSync(rssFile)) {
        const [rss, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        rssKiB = rss || null;
        cpuSeconds = user + sys;
        fs.rmSync(rssFile, { force: true });
      }
      if (code !== 0) reject(new Error(`${cmd} exited with ${code}: ${stderr.trim().slice(-500)}`));
      else resolve({ seconds, stdout, stderr, rssKiB, cpuSeconds });
    });
  });
}

const OURS = 'caseward hashFile (md5+sha1+sha256)';
const COPY = 'caseward copyAndHash (3 digests + copy)';
const DC3DD_COPY = 'dc3dd copy to file + md5,sha1,sha256';
const DD_COPY = 'dd bs=4M conv=fsync (copy only, no hash)';

async function hashSection() {
  console.log(`Caseward hashing bench: ${sizeMiB} MiB file, ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(`data file: ${dataFile} (${ensureDataFile()})`);
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-bench-'));
  const { modulePath } = await bundleHashing(bundleDir);
  const runner = path.join(root, 'test', 'bench', 'hash-runner.mjs');
  const copyDest = path.join(workDir, `caseward-bench-copy-${process.pid}.bin`);
  const removeCopy = () => {
    if (fs.existsSync(copyDest)) fs.chmodSync(copyDest, 0o644);
    fs.rmSync(copyDest, { force: true });
  };

  // Page cache cannot be dropped reliably without root; instead everyone reads a warm cache.
  process.stdout.write('warming the page cache (one full read)... ');
  warm(dataFile);
  console.log('done; every figure below reads from the page cache, not the disk.\n');

  const node = process.execPath;
  const tools = [
    { name: OURS, cmd: node, args: [runner, modulePath, 'hash', dataFile] },
    { name: COPY, cmd: node, args: [runner, modulePath, 'copy', dataFile, copyDest], before: removeCopy },
    { name: 'openssl dgst -md5', cmd: 'openssl', args: ['dgst', '-md5', dataFile] },
    { name: 'md5sum', cmd: 'md5sum', args: [dataFile] },
    { name: 'sha1sum', cmd: 'sha1sum', args: [dataFile] },
    { name: 'sha256sum', cmd: 'sha256sum', args: [dataFile] },
    {
      name: 'dc3dd hash=md5,sha1,sha256',
      cmd: 'dc3dd',
      args: [`if=${dataFile}`, 'of=/dev/null', 'hash=md5', 'hash=sha1', 'hash=sha256'],
    },
    { name: 'hashdeep -c md5,sha1,sha256', cmd: 'hashdeep', args: ['-c', 'md5,sha1,sha256', dataFile] },
    // Copy references: the imaging tool's own copy+hash, and a plain copy (no hashing) for the disk's share.
    {
      name: DC3DD_COPY,
      cmd: 'dc3dd',
      args: [`if=${dataFile}`, `of=${copyDest}`, 'hash=md5', 'hash=sha1', 'hash=sha256'],
      before: removeCopy,
    },
    {
      name: DD_COPY,
      cmd: 'dd',
      args: [`if=${dataFile}`, `of=${copyDest}`, 'bs=4M', 'conv=fsync', 'status=none'],
      before: removeCopy,
    },
  ];
  const installed = (cmd) => path.isAbsolute(cmd) || which(cmd);
  const rows = new Map(tools.map((t) => [t.name, installed(t.cmd) ? null : `skipped: ${t.cmd} not installed`]));
  const loadBefore = os.loadavg()[0];
  // Round robin, fastest run kept: load from other processes then spreads over every tool alike.
  try {
    for (let run = 0; run < runs; run++) {
      for (const tool of tools) {
        const previous = rows.get(tool.name);
        if (typeof previous === 'string') continue;
        try {
          tool.before?.();
          const r = await timed(tool.cmd, tool.args);
          if (!previous || r.seconds < previous.seconds) rows.set(tool.name, r);
        } catch (err) {
          rows.set(tool.name, `failed: ${err.message.split('\n')[0]}`);
        }
      }
    }
  } finally {
    removeCopy();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
  // Our engine needs both cores to itself; other work on the machine costs it more than single-core tools.
  if (loadBefore >= os.cpus().length / 2) {
    const cpus = os.cpus().length;
    console.log(`\nnote: the machine was busy before the bench (load ${loadBefore.toFixed(1)} on ${cpus} CPUs): rerun when idle.`);
  }

  printTable(rows);
  printRatios(Object.fromEntries([...rows].filter(([, r]) => r && typeof r === 'object')));
  console.log(`\n(test file kept for the next run; delete it when done: rm ${dataFile})`);
}

function printTable(rows) {
  const head = ['seconds', 'MiB/s', 'CPU s', 'peak RSS MiB'];
  console.log(`\nfastest of ${runs} run(s) each:`);
  console.log('tool'.padEnd(42) + head.map((h, i) => h.padStart(i === 3 ? 14 : 9)).join(''));
  for (const [name, row] of rows) {
    if (typeof row === 'string' || !row) {
      console.log(`${name.padEnd(42)}  ${row ?? 'not run'}`);
      continue;
    }
    const cells = [
      row.seconds.toFixed(2),
      (sizeMiB / row.seconds).toFixed(0),
      row.cpuSeconds === null ? 'n/a' : row.cpuSeconds.toFixed(2),
    ].map((c) => c.padStart(9));
    const rss = row.rssKiB ? (row.rssKiB / 1024).toFixed(0) : 'n/a';
    console.log(name.padEnd(42) + cells.join('') + rss.padStart(14));
  }
}

function printRatios(r) {
  const ours = r[OURS];
  const copy = r[COPY];
  // A ratio must reach its target; a memory figure (unit 'MiB') must stay below it.
  const line = (label, value, target, unit = 'x') => {
    if (value === null) return console.log(`  ${label.padEnd(46)} n/a`);
    const met = unit === 'x' ? value >= target : value < target;
    const shown = unit === 'x' ? `${value.toFixed(2)}x` : `${value.toFixed(0)} ${unit}`;
    const goal = unit === 'x' ? `>= ${target}x` : `< ${target} ${unit}`;
    console.log(`  ${label.padEnd(46)} ${shown.padStart(8)}   target ${goal}  ${met ? 'met' : 'MISSED'}`);
  };
  const speedup = (other) => (ours && r[other] ? r[other].seconds / ours.seconds : null);
  console.log('\nratios (time of the other tool / time of ours; above 1 means ours is faster):');
  line('ours vs dc3dd (same three digests)', speedup('dc3dd hash=md5,sha1,sha256'), 3);
  line('ours vs openssl dgst -md5 (MD5 alone)', speedup('openssl dgst -md5'), 0.9);
  line('copy vs hash-only (copyAndHash / hashFile)', ours && copy ? ours.seconds / copy.seconds : null, 0.8);
  console.log('  for information:');
  for (const other of ['hashdeep -c md5,sha1,sha256', 'md5sum', 'sha1sum', 'sha256sum']) {
    const v = speedup(other);
    console.log(`    ${`ours vs ${other}`.padEnd(56)} ${v === null ? 'n/a' : `${v.toFixed(2)}x`}`);
  }
  for (const other of [DC3DD_COPY, DD_COPY]) {
    const v = copy && r[other] ? r[other].seconds / copy.seconds : null;
    console.log(`    ${`our copy vs ${other}`.padEnd(56)} ${v === null ? 'n/a' : `${v.toFixed(2)}x`}`);
  }
  console.log('\npeak memory of our run (whole process, both workers included):');
  const rssOf = (row) => row?.stdout && JSON.parse(row.stdout).maxRssKiB;
  const hashRss = rssOf(ours);
  const copyRss = rssOf(copy);
  if (hashRss) line('hashFile peak RSS', hashRss / 1024, 256, 'MiB');
  if (copyRss) line('copyAndHash peak RSS', copyRss / 1024, 256, 'MiB');
  if (ours?.stdout) {
    const inner = JSON.parse(ours.stdout);
    const digestsMatch = checkDigests(inner.result, r);
    console.log(`\nour digests ${digestsMatch}`);
  }
}

/** Cross-checks our digests against the coreutils runs of the same file. */
function checkDigests(result, r) {
  const first = (name) => r[name]?.stdout.split(/\s/)[0];
  const pairs = [
    ['md5', first('md5sum')],
    ['sha1', first('sha1sum')],
    ['sha256', first('sha256sum')],
  ].filter(([, v]) => v);
  if (!pairs.length) return 'were not cross-checked (coreutils missing)';
  const bad = pairs.filter(([k, v]) => result[k] !== v).map(([k]) => k);
  return bad.length ? `DIFFER from coreutils for ${bad.join(', ')}` : `agree with ${pairs.map(([k]) => `${k}sum`).join(', ')}`;
}

const SECTIONS = ['hash', 'images', 'ebs', 'logs'];

async function main() {
  const asked = (process.env.BENCH_ONLY ?? SECTIONS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = asked.filter((s) => !SECTIONS.includes(s));
  if (unknown.length) console.log(`BENCH_ONLY: ignoring unknown section(s) ${unknown.join(', ')} (known: ${SECTIONS.join(', ')})`);
  const helpers = { timed, which, runs };
  // Each section reports its own failure, so one broken section does not hide the others.
  const sections = { hash: hashSection, images: () => imagesSection(helpers), ebs: () => ebsSection(helpers), logs: () => logsSection(helpers) };
  for (const name of SECTIONS.filter((s) => asked.includes(s))) {
    try {
      await sections[name]();
    } catch (err) {
      console.log(`\n${name} section failed: ${err.stack ?? err}`);
    }
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.stack ?? err}`);
  process.exitCode = 0;
});
