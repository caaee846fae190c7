// EBS section of `npm run bench` (issue 3): snapshot download speed through the real SDK client and
// engine against the AWS fake (run in its own process), with injected latency. Asserts nothing.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle-entry.mjs';
import { bundleHashing } from './bundle-hashing.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const MiB = 1024 * 1024;
const BLOCK = 512 * 1024;
const LATENCY_MS = 50;
const CONCURRENCY = 64;

/** Block indexes with data: three in four; every fourth block is a hole the snapshot does not list. */
function listedBlocks(totalBlocks) {
  const out = [];
  for (let i = 0; i < totalBlocks; i++) if (i % 4 !== 3) out.push(i);
  return out;
}

/** A sparse image of `gib` GiB with data in the listed blocks, made once; its sha256 is cached beside it. */
async function ensureSource(gib) {
  const img = path.join(os.tmpdir(), `caseward-bench-ebs-${gib}GiB.img`);
  const shaFile = `${img}.sha256`;
  const totalBlocks = (gib * 1024 * MiB) / BLOCK;
  const listed = listedBlocks(totalBlocks);
  if (fs.existsSync(img) && fs.existsSync(shaFile)) return { img, listed, sha256: fs.readFileSync(shaFile, 'utf8').trim(), state: 'reused' };
  const pool = randomBytes(8 * MiB);
  const fd = fs.openSync(`${img}.part`, 'w');
  fs.ftruncateSync(fd, gib * 1024 * MiB);
  for (const i of listed) {
    // A slice of the random pool stamped with the index: blocks differ, so a misplaced block shows in the digest.
    const block = Buffer.from(pool.subarray(((i * 7) % 15) * BLOCK, ((i * 7) % 15) * BLOCK + BLOCK));
    block.writeUInt32LE(i, 0);
    fs.writeSync(fd, block, 0, BLOCK, i * BLOCK);
  }
  fs.closeSync(fd);
  fs.renameSync(`${img}.part`, img);
  const sha256 = await sha256Of(img);
  fs.writeFileSync(shaFile, `${sha256}\n`);
  return { img, listed, sha256, state: 'created' };
}

function sha256Of(file) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(file, { highWaterMark: 4 * MiB }).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

/** Starts the fake in its own process; resolves with its first JSON line and the child. */
function startFake(bundle, img, listed) {
  const child = spawn(process.execPath, [bundle, img, listed.join(','), String(LATENCY_MS)], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, info: JSON.parse(out.slice(0, nl)) });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`AWS fake exited with ${code}: ${err.trim().slice(-500)}`)));
  });
}

/** Closes the fake's stdin and waits for it to exit, killing it if it lingers. */
function stopFake(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.stdin.end();
  });
}

/** Runs the EBS section with the bench's `timed`/`which` helpers; `runs` = best of how many. */
export async function ebsSection({ timed, runs }) {
  const gib = Math.max(1, Math.round(Number(process.env.BENCH_EBS_GIB ?? 4)));
  console.log(`\n== ebs: snapshot download, ${gib} GiB, 25% of blocks unlisted, ${LATENCY_MS} ms per GetSnapshotBlock (issue 3) ==`);
  console.log(`load average before: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs (figures are noisy when it exceeds the CPU count)`);
  if (!fs.existsSync(path.join(root, 'node_modules', '@aws-sdk', 'client-ebs'))) {
    console.log('skipped: @aws-sdk/client-ebs is not installed (npm ci)');
    return;
  }
  const cache = path.join(root, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  // Inside the project, so the bundles' external better-sqlite3 (native) resolves from node_modules.
  const bundleDir = fs.mkdtempSync(path.join(cache, 'caseward-bench-ebs-'));
  const dest = path.join(os.tmpdir(), `caseward-bench-ebs-download-${process.pid}.img`);
  const removeDest = () => {
    for (const f of [dest, `${dest}.manifest.sqlite`, `${dest}.manifest.sqlite-wal`, `${dest}.manifest.sqlite-shm`]) fs.rmSync(f, { force: true });
  };
  let fake = null;
  try {
    const started = Date.now();
    const src = await ensureSource(gib);
    console.log(`source image: ${src.img} (${src.state}, ${((Date.now() - started) / 1000).toFixed(0)} s), sha256 ${src.sha256}`);
    const external = ['better-sqlite3'];
    const [fakeBundle, runner, hashing] = await Promise.all([
      bundleEntry(path.join(here, 'ebs-fake-server.ts'), bundleDir, 'ebs-fake-server', external),
      bundleEntry(path.join(here, 'ebs-runner.ts'), bundleDir, 'ebs-runner', external),
      bundleHashing(fs.mkdtempSync(path.join(bundleDir, 'hashing-'))),
    ]);

    // The hash ceiling, measured now on a file of the same size: the download cannot beat its own hashing.
    const hashRun = await timed(process.execPath, [path.join(here, 'hash-runner.mjs'), hashing.modulePath, 'hash', src.img]);
    const hashMiBs = (gib * 1024) / hashRun.seconds;

    const startedFake = await startFake(fakeBundle, src.img, src.listed);
    fake = startedFake.child;
    const { endpoint, region, snapshotId } = startedFake.info;

    let best = null;
    for (let r = 0; r < runs; r++) {
      removeDest();
      const res = await timed(process.execPath, [runner, endpoint, region, snapshotId, dest]);
      const inner = JSON.parse(res.stdout.trim().split('\n').at(-1));
      // Read back from disk, not only the engine's own digest: proves what landed in the file.
      const sha256 = await sha256Of(dest);
      if (!best || inner.seconds < best.inner.seconds) best = { res, inner, sha256 };
    }
    report(best, { gib, hashMiBs, src });
  } finally {
    if (fake) await stopFake(fake);
    removeDest();
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
}

/** Prints the download figures and the ratios against their targets. */
function report({ res, inner, sha256 }, { gib, hashMiBs, src }) {
  const mibs = (gib * 1024) / inner.seconds;
  const latencyBound = (CONCURRENCY * (BLOCK / MiB)) / (LATENCY_MS / 1000);
  const ideal = Math.min(latencyBound, hashMiBs);
  const ratio = mibs / ideal;
  const rssMiB = res.rssKiB ? res.rssKiB / 1024 : null;
  console.log(`download: ${inner.seconds.toFixed(2)} s (child wall ${res.seconds.toFixed(2)} s), ${mibs.toFixed(0)} MiB/s of image`);
  console.log(`  blocks: ${inner.blocksListed} listed, ${inner.blocksAbsent} unlisted (left sparse), ${inner.blocksFetched} fetched; ` +
    `${inner.retries} retries, ${inner.throttles} throttles, final concurrency ${inner.concurrencyFinal}`);
  console.log(`  ideal: min(${CONCURRENCY} x 512 KiB / ${LATENCY_MS} ms = ${latencyBound.toFixed(0)} MiB/s, our 3-digest hash ${hashMiBs.toFixed(0)} MiB/s) = ${ideal.toFixed(0)} MiB/s`);
  console.log(`  ${'ours vs ideal'.padEnd(30)} ${`${ratio.toFixed(2)}x`.padStart(8)}   target >= 0.7x  ${ratio >= 0.7 ? 'met' : 'MISSED'}`);
  if (rssMiB === null) console.log(`  ${'peak RSS of the downloader'.padEnd(30)} n/a (/usr/bin/time missing)`);
  else console.log(`  ${'peak RSS of the downloader'.padEnd(30)} ${`${rssMiB.toFixed(0)} MiB`.padStart(8)}   target < 512 MiB  ${rssMiB < 512 ? 'met' : 'MISSED'}`);
  if (res.cpuSeconds !== null) console.log(`  ${'CPU seconds per GiB'.padEnd(30)} ${(res.cpuSeconds / gib).toFixed(2).padStart(8)}   (user+system of the downloader process)`);
  const same = sha256 === src.sha256;
  console.log(`  downloaded image sha256 ${sha256} ${same ? 'equals the source' : `DIFFERS from the source ${src.sha256}`}`);
  console.log(`  engine's own sha256 ${inner.sha256 === sha256 ? 'agrees with the file read back' : `DIFFERS: ${inner.sha256}`}`);
  console.log(`(source image kept for the next run; delete it when done: rm ${src.img} ${src.img}.sha256 ${src.img}.checksums.json)`);
}
