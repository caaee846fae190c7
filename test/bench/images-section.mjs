// Images section of `npm run bench` (issue 5): listing 100,000 files and reading a 1 GiB file with
// Caseward's ext4/XFS readers against The Sleuth Kit (fls, icat). Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry } from './bundle-entry.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
const DIRS = 100;
const PER_DIR = 1000;

/** Runs a tool, throwing with its stderr when it fails (exit 1 of e2fsck means "fixed", which -D always does). */
function run(cmd, args, okCodes = [0]) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MiB });
  if (r.error || !okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

/** 100 dirs × 1000 empty files under `src`. */
function ensureTree(src) {
  fs.rmSync(src, { recursive: true, force: true });
  for (let d = 0; d < DIRS; d++) {
    const dir = path.join(src, `d${String(d).padStart(3, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < PER_DIR; f++) fs.writeFileSync(path.join(dir, `f${String(f).padStart(4, '0')}.txt`), '');
  }
}

/** The ext4 image with 100,000 files (the ext4 helper's recipe), made once and reused. */
function ensureManyExt4(dir) {
  const img = path.join(dir, 'many-files-ext4.img');
  if (fs.existsSync(img)) return { img, state: 'reused' };
  const src = path.join(dir, 'tree');
  ensureTree(src);
  fs.rmSync(`${img}.part`, { force: true });
  run('mkfs.ext4', ['-q', '-F', '-N', '120000', '-d', src, `${img}.part`, '512M']);
  run('e2fsck', ['-fyD', `${img}.part`], [0, 1]);
  fs.rmSync(src, { recursive: true, force: true }); // the image is what is kept, not 100,000 loose files
  fs.renameSync(`${img}.part`, img);
  return { img, state: 'created' };
}

/** The same tree as XFS through a protofile (no mount needed); every file points at one empty source. */
function ensureManyXfs(dir) {
  const img = path.join(dir, 'many-files-xfs.img');
  if (fs.existsSync(img)) return { img, state: 'reused' };
  const empty = path.join(dir, 'empty');
  fs.writeFileSync(empty, '');
  const lines = ['caseward-bench', '0 0', 'd--755 0 0'];
  for (let d = 0; d < DIRS; d++) {
    lines.push(` d${String(d).padStart(3, '0')} d--755 0 0`);
    for (let f = 0; f < PER_DIR; f++) lines.push(`  f${String(f).padStart(4, '0')}.txt ---644 0 0 ${empty}`);
    lines.push(' $');
  }
  lines.push('$', '');
  const proto = path.join(dir, 'many-files-xfs.proto');
  fs.writeFileSync(proto, lines.join('\n'));
  fs.rmSync(`${img}.part`, { force: true });
  fs.closeSync(fs.openSync(`${img}.part`, 'w'));
  fs.truncateSync(`${img}.part`, 512 * MiB);
  run('mkfs.xfs', ['-q', '-f', '-p', proto, `${img}.part`]);
  fs.renameSync(`${img}.part`, img);
  return { img, state: 'created' };
}

/** An ext4 image holding one 1 GiB file (64 MiB of random data repeated, not sparse); returns its inode. */
function ensureBigExt4(dir) {
  const img = path.join(dir, 'big-file-ext4.img');
  const src = path.join(dir, 'big-src');
  const bigInode = 12; // first inode after lost+found (11) in a fresh mke2fs -d image
  if (fs.existsSync(img)) return { img, inode: bigInode, state: 'reused' };
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src);
  const block = Buffer.alloc(64 * MiB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((Math.random() * 2 ** 32) >>> 0, i);
  const fd = fs.openSync(path.join(src, 'big.bin'), 'w');
  for (let i = 0; i < 16; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  fs.rmSync(`${img}.part`, { force: true });
  run('mkfs.ext4', ['-q', '-F', '-d', src, `${img}.part`, '1100M']);
  fs.rmSync(src, { recursive: true, force: true });
  fs.renameSync(`${img}.part`, img);
  return { img, inode: bigInode, state: 'created' };
}

/** Runs the images section with the bench's `timed`/`which` helpers; `runs` = best of how many. */
export async function imagesSection({ timed, which, runs }) {
  console.log('\n== images: listing 100,000 files and reading a 1 GiB file (issue 5) ==');
  console.log(`load average before: ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs (figures are noisy when it exceeds the CPU count)`);
  if (!which('mkfs.ext4') || !which('e2fsck')) {
    console.log('skipped: mkfs.ext4/e2fsck not installed (apt-get install e2fsprogs)');
    return;
  }
  const dir = path.join(os.tmpdir(), 'caseward-bench-images');
  fs.mkdirSync(dir, { recursive: true });
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-bench-img-'));
  try {
    const started = Date.now();
    const many = ensureManyExt4(dir);
    const xfs = which('mkfs.xfs') ? ensureManyXfs(dir) : null;
    const big = ensureBigExt4(dir);
    console.log(`images in ${dir} (${[many.state, xfs?.state ?? 'no xfs', big.state].join(', ')}; ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    const runner = await bundleEntry(path.join(here, 'images-runner.ts'), bundleDir, 'images-runner');
    const node = process.execPath;
    const sh = (cmd) => ['/bin/sh', ['-c', cmd]];
    const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
    const tasks = [
      { key: 'ours-ext4', name: 'caseward ext4 walk (100,000 files)', cmd: node, args: [runner, 'list-ext4', many.img] },
      { key: 'fls', name: 'fls -r (ext4, 100,000 files)', tool: 'fls', ...spread(sh(`fls -r ${q(many.img)} > /dev/null`)) },
      xfs && { key: 'ours-xfs', name: 'caseward XFS walk (100,000 files)', cmd: node, args: [runner, 'list-xfs', xfs.img] },
      { key: 'ours-read', name: 'caseward read 1 GiB (4 MiB chunks)', cmd: node, args: [runner, 'read', big.img, String(big.inode)] },
      { key: 'icat', name: 'icat (1 GiB to /dev/null)', tool: 'icat', ...spread(sh(`icat ${q(big.img)} ${big.inode} > /dev/null`)) },
    ].filter(Boolean);
    const rows = new Map(tasks.map((t) => [t.key, t.tool && !which(t.tool) ? `skipped: ${t.tool} not installed (apt-get install sleuthkit)` : null]));
    for (const f of [many.img, xfs?.img, big.img].filter(Boolean)) warm(f);
    for (let r = 0; r < runs; r++) {
      for (const t of tasks) {
        const prev = rows.get(t.key);
        if (typeof prev === 'string') continue;
        try {
          const res = await timed(t.cmd, t.args);
          if (!prev || res.seconds < prev.seconds) rows.set(t.key, res);
        } catch (err) {
          rows.set(t.key, `failed: ${err.message.split('\n')[0]}`);
        }
      }
    }
    console.log(`fastest of ${runs} run(s) each (page cache warm):`);
    console.log('tool'.padEnd(42) + 'seconds'.padStart(9) + 'CPU s'.padStart(9) + 'peak RSS MiB'.padStart(14) + '  counted');
    for (const t of tasks) {
      const row = rows.get(t.key);
      if (typeof row === 'string' || !row) { console.log(`${t.name.padEnd(42)}  ${row ?? 'not run'}`); continue; }
      const cpu = row.cpuSeconds === null ? 'n/a' : row.cpuSeconds.toFixed(2);
      const rss = row.rssKiB ? (row.rssKiB / 1024).toFixed(0) : 'n/a';
      console.log(t.name.padEnd(42) + row.seconds.toFixed(2).padStart(9) + cpu.padStart(9) + rss.padStart(14) + `  ${row.stdout.trim()}`);
    }
    if (!xfs) console.log('XFS: skipped, mkfs.xfs not installed (apt-get install xfsprogs)');
    console.log('XFS has no fls figure: The Sleuth Kit cannot read XFS, so ours is shown alone.');
    const ratio = (other, ours) => {
      const a = rows.get(other); const b = rows.get(ours);
      return a && b && typeof a === 'object' && typeof b === 'object' ? a.seconds / b.seconds : null;
    };
    console.log('ratios (time of the Sleuth Kit tool / time of ours; above 1 means ours is faster):');
    for (const [label, v] of [['listing: ours vs fls -r', ratio('fls', 'ours-ext4')], ['1 GiB read: ours vs icat', ratio('icat', 'ours-read')]]) {
      if (v === null) console.log(`  ${label.padEnd(46)} n/a`);
      else console.log(`  ${label.padEnd(46)} ${`${v.toFixed(2)}x`.padStart(8)}   target >= 0.5x  ${v >= 0.5 ? 'met' : 'MISSED'}`);
    }
    const read = rows.get('ours-read');
    if (read && typeof read === 'object') console.log(`  our read speed: ${(1024 / read.seconds).toFixed(0)} MiB/s`);
    console.log(`(images kept for the next run; delete them when done: rm -r ${dir})`);
  } finally {
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
}

function spread([cmd, args]) {
  return { cmd, args };
}

/** Reads a file once so every tool reads it from the page cache. */
function warm(file) {
  const buffer = Buffer.allocUnsafe(16 * MiB);
  const fd = fs.openSync(file, 'r');
  while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
  fs.closeSync(fd);
}
