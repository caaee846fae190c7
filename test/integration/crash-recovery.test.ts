/**
 * Caseward is SIGKILLed in the middle of hashing a large file (the CLI door, a real process).
 * Afterwards the database is intact, the chain verifies, the job is interrupted, the artifact
 * never looks complete, the dead process's lock does not block anyone, and the examiner can
 * resume (same hashes as coreutils) or discard (the partial copy goes).
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
import { coreutilsDigest, makeSparseFile, waitFor } from '../support/evidence-files.js';

const GiB = 1024 ** 3;

let root = '';
let ws: CliWorkstation;
let h: Harness;

beforeAll(async () => {
  ensureCliBundle();
  root = tempDir('caseward-crash-');
  ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
  await runCli(ws, ['profile', '--name', 'Crash Tester', '--org', 'Test IR Ltd']);
});

afterAll(async () => {
  await h?.dispose();
  if (root) removeTree(root);
});

/** The app restarted on the same workstation (same user-data folder) as the killed CLI. */
async function restartedApp(): Promise<Harness> {
  h ??= await startHarness({ root });
  return h;
}

async function createCase(number: string): Promise<string> {
  const out = await runCli(ws, ['create', '--json', '--number', number, '--title', 'Killed mid-hash']);
  return (JSON.parse(out) as { path: string }).path;
}

interface Killed {
  pid: number;
  jobId: string;
  artifactId: string;
  /** Where a copy goes (copy mode only). */
  copyPath: string | null;
}

/** Starts `caseward add`, waits until its job is hashing (copy: until the copy has bytes), and kill -9s it. */
async function addAndKill(folder: string, file: string, mode: 'in-place' | 'copy'): Promise<Killed> {
  const child = spawnCli(ws, ['add', folder, file, ...(mode === 'in-place' ? ['--in-place'] : [])]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const dbFile = path.join(folder, 'case.sqlite');
  let db: Database.Database | undefined;
  try {
    const job = await waitFor('the evidence.add job to be running', () => {
      if (child.exitCode !== null) throw new Error(`caseward add ended by itself (${child.exitCode}): ${stderr}`);
      db ??= new Database(dbFile, { readonly: true, fileMustExist: true });
      return db.prepare("SELECT id, artifact_id AS artifactId FROM jobs WHERE kind = 'evidence.add' AND state = 'running'").get() as
        | { id: string; artifactId: string }
        | undefined;
    });
    let copyPath: string | null = null;
    if (mode === 'copy') {
      const stored = db!.prepare('SELECT stored_path FROM artifacts WHERE id = ?').pluck().get(job.artifactId) as string;
      copyPath = path.join(folder, stored);
      await waitFor('the partial copy to have bytes', () => (fs.existsSync(copyPath!) && fs.statSync(copyPath!).size > 0 ? true : undefined), 60_000, 5);
    }
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    return { pid: child.pid!, jobId: job.id, artifactId: job.artifactId, copyPath };
  } finally {
    db?.close();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** What the dead process left, read with no Caseward code in the way. */
function expectCleanCrashState(folder: string, k: Killed): void {
  const db = new Database(path.join(folder, 'case.sqlite'), { readonly: true, fileMustExist: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(verifyChain(db)).toMatchObject({ ok: true, problems: [] });
    expect(db.prepare('SELECT state FROM jobs WHERE id = ?').pluck().get(k.jobId)).toBe('running');
    const a = db.prepare('SELECT state, size, md5, sha1, sha256 FROM artifacts WHERE id = ?').get(k.artifactId);
    // If this fails with 'complete', the kill came after hashing ended: the file is too small for this machine.
    expect(a).toEqual({ state: 'pending', size: null, md5: null, sha1: null, sha256: null });
    expect(db.prepare("SELECT count(*) FROM custody_events WHERE action = 'artifact.added'").pluck().get()).toBe(0);
  } finally {
    db.close();
  }
  const lock = JSON.parse(fs.readFileSync(path.join(folder, 'case.lock'), 'utf8')) as { pid: number };
  expect(lock.pid).toBe(k.pid);
}

/** Reopens after the crash and checks what the examiner is shown. */
async function reopenAfterCrash(folder: string, k: Killed): Promise<string> {
  const app = await restartedApp();
  const c = await app.call('cases.open', { path: folder });
  expect((JSON.parse(fs.readFileSync(path.join(folder, 'case.lock'), 'utf8')) as { pid: number }).pid).toBe(process.pid);
  const job = (await app.call('jobs.list', { caseId: c.id })).find((j) => j.id === k.jobId);
  expect(job?.state).toBe('interrupted');
  const log = await app.call('custody.list', { caseId: c.id, artifactId: k.artifactId, limit: 1000 });
  expect(log.events.filter((e) => e.action === 'job.interrupted').map((e) => e.details.jobId)).toEqual([k.jobId]);
  const a = await app.call('evidence.get', { caseId: c.id, artifactId: k.artifactId });
  expect(a).toMatchObject({ state: 'pending', hashes: null, size: null });
  expect(c.artifactCount).toBe(0);
  expect((await app.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
  return c.id;
}

describe('a process killed in the middle of hashing', () => {
  it('in place (4 GiB): interrupted, pending, stale lock taken over, and resume gives the coreutils hashes', async () => {
    const folder = await createCase('CRASH-INPLACE');
    const big = path.join(root, 'disk-4g.img');
    makeSparseFile(big, 4 * GiB);
    const k = await addAndKill(folder, big, 'in-place');
    expectCleanCrashState(folder, k);
    const caseId = await reopenAfterCrash(folder, k);

    const resumed = await h.call('jobs.resume', { caseId, jobId: k.jobId });
    expect(['queued', 'running']).toContain(resumed.state);
    expect((await h.waitJob(caseId, k.jobId)).state).toBe('succeeded');
    const a = await h.call('evidence.get', { caseId, artifactId: k.artifactId });
    const [sha256, md5] = await Promise.all([coreutilsDigest('sha256sum', big), coreutilsDigest('md5sum', big)]);
    expect(a).toMatchObject({ state: 'complete', size: 4 * GiB });
    expect(a.hashes).toMatchObject({ sha256, md5 });
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    await h.call('cases.close', { caseId });
    fs.rmSync(big);
  });

  it('copying (1.5 GiB): the partial copy never counts, and resume copies the exact bytes', async () => {
    const folder = await createCase('CRASH-COPY');
    const src = path.join(root, 'volume-1g5.raw');
    makeSparseFile(src, 1.5 * GiB);
    const k = await addAndKill(folder, src, 'copy');
    expect(fs.statSync(k.copyPath!).size).toBeGreaterThan(0);
    expectCleanCrashState(folder, k);
    const caseId = await reopenAfterCrash(folder, k);

    await h.call('jobs.resume', { caseId, jobId: k.jobId });
    expect((await h.waitJob(caseId, k.jobId)).state).toBe('succeeded');
    const a = await h.call('evidence.get', { caseId, artifactId: k.artifactId });
    const [sha256, md5] = await Promise.all([coreutilsDigest('sha256sum', src), coreutilsDigest('md5sum', src)]);
    expect(a).toMatchObject({ state: 'complete', size: 1.5 * GiB, hashes: { sha256, md5 } });
    await promisify(execFile)('cmp', ['--', src, k.copyPath!]); // rejects if any byte differs
    expect(fs.statSync(k.copyPath!).mode & 0o222).toBe(0);
    await h.call('cases.close', { caseId });
    removeTree(path.join(folder, 'evidence'));
  });

  it('copying, then discarded: the artifact is discarded and the partial copy removed', async () => {
    const folder = await createCase('CRASH-DISCARD');
    const src = path.join(root, 'volume-1g5.raw');
    if (!fs.existsSync(src)) makeSparseFile(src, 1.5 * GiB);
    const k = await addAndKill(folder, src, 'copy');
    expectCleanCrashState(folder, k);
    const caseId = await reopenAfterCrash(folder, k);
    expect(fs.existsSync(k.copyPath!)).toBe(true);

    expect((await h.call('jobs.discard', { caseId, jobId: k.jobId })).state).toBe('discarded');
    expect(fs.existsSync(k.copyPath!)).toBe(false);
    const a = await h.call('evidence.get', { caseId, artifactId: k.artifactId });
    expect(a).toMatchObject({ state: 'discarded', hashes: null });
    expect((await h.fail('jobs.resume', { caseId, jobId: k.jobId })).code).toBe('JOB_STATE');
    const log = await h.call('custody.list', { caseId, artifactId: k.artifactId, limit: 1000 });
    expect(log.events.map((e) => e.action)).toContain('job.discarded');
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
    await h.call('cases.close', { caseId });
  });
});
