/**
 * A download in another process is killed with SIGKILL mid-way (no cleanup runs); a new download
 * over the same image and manifest resumes: the blocks the dead process recorded are reused, the
 * rest fetched, and the hashes are those of the whole source image.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot } from '../../main/core/aws/ebs-image/download-snapshot.js';
import { coreutilsDigest } from '../support/evidence-files.js';
import { BLOCK, FakeBlockSource } from '../support/ebs-fake-source.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SNAP = 'snap-0c0ffee0c0ffee000';
const BLOCKS = 192;
const listed = (i: number): boolean => i % 3 !== 1;

// The child: downloads with the fake source (slowed down so the kill lands mid-way), printing each get.
const CHILD_SOURCE = `
import { downloadSnapshot } from './main/core/aws/ebs-image/download-snapshot.js';
import { FakeBlockSource } from './test/support/ebs-fake-source.js';
async function main() {
  const [image, dest, manifestPath] = process.argv.slice(2);
  const source = FakeBlockSource.fromFile('${SNAP}', image, { listed: (i) => i % 3 !== 1, faults: { latencyMs: 50 }, pageSize: 50 });
  source.onGet = (index, gets) => process.stdout.write('get ' + gets + '\\n');
  await downloadSnapshot({ source, snapshotId: '${SNAP}', dest, manifestPath, concurrency: 2 });
  process.stdout.write('finished\\n');
}
main().catch((err) => { console.error(err); process.exit(1); });
`;

let dir: string;
let image: string;
let childScript: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ebs-crash-'));
  image = path.join(dir, 'source.img');
  const fd = fs.openSync(image, 'w');
  fs.ftruncateSync(fd, BLOCKS * BLOCK);
  for (let i = 0; i < BLOCKS; i += 1) if (listed(i)) fs.writeSync(fd, randomFillSync(Buffer.alloc(BLOCK)), 0, BLOCK, i * BLOCK);
  fs.closeSync(fd);
  childScript = path.join(dir, 'child.cjs');
  // CommonJS so NODE_PATH can point the native better-sqlite3 at the project's node_modules.
  await build({
    stdin: { contents: CHILD_SOURCE, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: childScript,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('downloadSnapshot after SIGKILL', () => {
  it('resumes from what the killed process recorded', async () => {
    const dest = path.join(dir, 'image.raw');
    const manifestPath = path.join(dir, 'image.manifest.sqlite');
    const child = spawn(process.execPath, [childScript, image, dest, manifestPath], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const outcome = await new Promise<string>((resolve) => {
      let buffered = '';
      let firstGet = 0;
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        firstGet ||= buffered.includes('get ') ? Date.now() : 0;
        // Late enough that a manifest batch (committed once a second) is on disk, early enough to be mid-way.
        if (firstGet && Date.now() - firstGet >= 1500 && child.signalCode === null && child.exitCode === null) child.kill('SIGKILL');
        if (buffered.includes('finished')) resolve('finished');
      });
      child.on('exit', (code, signal) => resolve(signal ?? `exit ${code}: ${stderr}`));
    });
    expect(outcome).toBe('SIGKILL');

    const db = new Database(manifestPath, { readonly: true });
    const recorded = (db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n;
    // The dead run never recorded an outcome: that is what an interrupted run looks like.
    expect(db.prepare('SELECT outcome FROM runs WHERE run = 1').get()).toEqual({ outcome: null });
    db.close();
    expect(recorded).toBeGreaterThan(0);

    const source = FakeBlockSource.fromFile(SNAP, image, { listed: (i) => listed(i), pageSize: 50 });
    const result = await downloadSnapshot({ source, snapshotId: SNAP, dest, manifestPath });
    source.close();
    console.log(`ebs-image crash: ${recorded} blocks recorded by the killed process; resumed run reused ${result.blocksReused}, fetched ${result.blocksFetched}`);
    expect(result.resumed).toBe(true);
    expect(result.blocksReused).toBe(recorded);
    expect(result.blocksFetched).toBe(result.blocksListed - recorded);
    expect(source.stats.gets).toBe(result.blocksFetched);
    for (const [tool, key] of [['sha256sum', 'sha256'], ['sha1sum', 'sha1'], ['md5sum', 'md5']] as const) {
      const expected = await coreutilsDigest(tool, image);
      expect(result[key]).toBe(expected);
      expect(await coreutilsDigest(tool, dest)).toBe(expected);
    }
  });
});
