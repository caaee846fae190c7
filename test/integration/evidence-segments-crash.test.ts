/**
 * Caseward (the CLI door, a real process) is SIGKILLed while copying a split raw set, after the
 * first segment's copy is finished and while the second is being written. Nothing looks complete
 * afterwards; resume copies and hashes the whole set again; discard removes every partial copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../main/core/custody/verify-chain.js';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { ensureCliBundle, exited, runCli, spawnCli, type CliWorkstation } from '../support/cli-bundle.js';
import { makeSparseFile, waitFor } from '../support/evidence-files.js';

const run = promisify(execFile);
const SEGMENT = 128 * 1024 * 1024;

let root = '';
let ws: CliWorkstation;
let h: Harness | undefined;
let segments: string[] = [];

beforeAll(async () => {
  ensureCliBundle();
  root = tempDir('caseward-seg-crash-');
  ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
  await runCli(ws, ['profile', '--name', 'Crash Tester', '--org', 'Test IR Ltd']);
  const dir = path.join(root, 'source');
  fs.mkdirSync(dir);
  segments = ['img.001', 'img.002', 'img.003'].map((n, i) => {
    const f = path.join(dir, n);
    makeSparseFile(f, SEGMENT);
    // Distinct content per segment, so a copy that swaps segments differs.
    fs.writeFileSync(f, `segment ${i + 1}\n`, { flag: 'r+' });
    return f;
  });
});

afterAll(async () => {
  await h?.dispose();
  if (root) removeTree(root);
});

async function cat(tool: 'sha256sum' | 'md5sum'): Promise<string> {
  const { stdout } = await run('sh', ['-c', `cat "$@" | ${tool}`, 'sh', ...segments]);
  return stdout.split(' ')[0]!;
}

/** Adds the set by copy through the CLI and kill -9s it once segment 2's copy has bytes. */
async function addAndKill(number: string): Promise<{ folder: string; jobId: string; artifactId: string; copyDir: string }> {
  const folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', number, '--title', 'Killed mid-set'])) as { path: string }).path;
  const child = spawnCli(ws, ['add', folder, segments[0]!]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let db: Database.Database | undefined;
  try {
    const job = await waitFor('the evidence.add job to be running', () => {
      if (child.exitCode !== null) throw new Error(`caseward add ended by itself (${child.exitCode}): ${stderr}`);
      db ??= new Database(path.join(folder, 'case.sqlite'), { readonly: true, fileMustExist: true });
      return db.prepare("SELECT id, artifact_id AS artifactId FROM jobs WHERE kind = 'evidence.add' AND state = 'running'").get() as { id: string; artifactId: string } | undefined;
    });
    const stored = db!.prepare('SELECT stored_path FROM artifacts WHERE id = ?').pluck().get(job.artifactId) as string;
    const copyDir = path.join(folder, path.dirname(stored));
    const second = path.join(copyDir, 'img.002');
    await waitFor('the copy of segment 2 to have bytes', () => (fs.existsSync(second) && fs.statSync(second).size > 0 ? true : undefined), 60_000, 5);
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    return { folder, jobId: job.id, artifactId: job.artifactId, copyDir };
  } finally {
    db?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Read with no Caseward code in the way: pending, unhashed, no artifact.added, chain whole. */
function expectNothingComplete(folder: string, jobId: string, artifactId: string): void {
  const db = new Database(path.join(folder, 'case.sqlite'), { readonly: true, fileMustExist: true });
  try {
    expect(verifyChain(db)).toMatchObject({ ok: true, problems: [] });
    expect(db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(jobId)).toBe('running');
    // If this is 'complete', the kill came after hashing ended: the segments are too small for this machine.
    expect(db.prepare('SELECT state, size, sha256 FROM artifacts WHERE id = ?').get(artifactId)).toEqual({ state: 'pending', size: null, sha256: null });
    expect(db.prepare("SELECT count(*) FROM custody_events WHERE action = 'artifact.added'").pluck().get()).toBe(0);
  } finally {
    db.close();
  }
}

async function reopen(folder: string, jobId: string): Promise<string> {
  h ??= await startHarness({ root });
  const c = await h.call('cases.open', { path: folder });
  expect((await h.call('jobs.list', { caseId: c.id })).find((j) => j.id === jobId)?.state).toBe('interrupted');
  return c.id;
}

describe('a process killed in the middle of copying a segmented set', () => {
  it('resume copies and hashes the whole set again', async () => {
    const k = await addAndKill('SEG-CRASH-RESUME');
    expect(fs.statSync(path.join(k.copyDir, 'img.001')).size).toBe(SEGMENT);
    expectNothingComplete(k.folder, k.jobId, k.artifactId);
    const caseId = await reopen(k.folder, k.jobId);
    await h!.call('jobs.resume', { caseId, jobId: k.jobId });
    expect((await h!.waitJob(caseId, k.jobId)).state).toBe('succeeded');
    const a = await h!.call('evidence.get', { caseId, artifactId: k.artifactId });
    const [sha256, md5] = await Promise.all([cat('sha256sum'), cat('md5sum')]);
    expect(a).toMatchObject({ state: 'complete', size: 3 * SEGMENT, hashes: { sha256, md5 } });
    expect(a.segments?.map((s) => s.name)).toEqual(['img.001', 'img.002', 'img.003']);
    for (const src of segments) {
      const copy = path.join(k.copyDir, path.basename(src));
      await run('cmp', ['--', src, copy]); // rejects if any byte differs
      expect(fs.statSync(copy).mode & 0o222).toBe(0);
    }
    expect((await h!.call('custody.verifyChain', { caseId })).ok).toBe(true);
    await h!.call('cases.close', { caseId });
    removeTree(path.join(k.folder, 'evidence'));
  });

  it('discard removes every partial copy, finished segments included', async () => {
    const k = await addAndKill('SEG-CRASH-DISCARD');
    expectNothingComplete(k.folder, k.jobId, k.artifactId);
    const caseId = await reopen(k.folder, k.jobId);
    expect(fs.readdirSync(k.copyDir)).toEqual(expect.arrayContaining(['img.001', 'img.002']));
    expect((await h!.call('jobs.discard', { caseId, jobId: k.jobId })).state).toBe('discarded');
    expect(fs.readdirSync(k.copyDir)).toEqual([]);
    expect(await h!.call('evidence.get', { caseId, artifactId: k.artifactId })).toMatchObject({ state: 'discarded', hashes: null });
    expect((await h!.call('custody.verifyChain', { caseId })).ok).toBe(true);
    await h!.call('cases.close', { caseId });
  });
});
