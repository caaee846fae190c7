/**
 * Bad evidence sources: each refused with a clear code and a message naming the path, and
 * nothing recorded that could pass for evidence.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../shared/types.js';
import { removeTree, startHarness, tempDir, type Harness } from '../support/app-harness.js';
import { makeSparseFile } from '../support/evidence-files.js';
import { CLI_BUNDLE, ensureCliBundle, PROJECT_ROOT } from '../support/cli-bundle.js';

const MiB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
if (isRoot) console.warn('Skipping the in-process unreadable-file test: running as root, so chmod 000 does not stop reads (CAP_DAC_OVERRIDE); the CLI variant runs as nobody instead');
else console.warn('Skipping the run-as-nobody CLI variant of the unreadable-file test: it needs root to switch accounts');

describe('adding bad evidence sources', () => {
  let h: Harness;
  let c: CaseSummary;
  beforeEach(async () => {
    h = await startHarness();
    c = await h.call('cases.create', { number: 'IR-BAD-1', title: 'Bad input' });
  });
  afterEach(async () => {
    await h.dispose();
  });

  /** Refused at once: the error, and proof that no artifact, job or custody event was written. */
  async function refused(sourcePath: string, mode: 'copy' | 'in-place' = 'copy') {
    const before = await h.call('cases.get', { caseId: c.id });
    const error = await h.fail('evidence.add', { caseId: c.id, sourcePath, mode });
    expect(await h.call('evidence.list', { caseId: c.id })).toEqual([]);
    expect(await h.call('jobs.list', { caseId: c.id })).toEqual([]);
    expect((await h.call('cases.get', { caseId: c.id })).headHash).toBe(before.headHash);
    expect(fs.readdirSync(path.join(c.path, 'evidence'))).toEqual([]);
    return error;
  }

  it('a missing file is FILE_MISSING naming the path', async () => {
    const missing = path.join(h.root, 'no-such-image.dd');
    const e = await refused(missing);
    expect(e.code).toBe('FILE_MISSING');
    expect(e.message).toContain(missing);
  });

  it('a directory is NOT_A_FILE naming the path', async () => {
    const dir = path.join(h.root, 'a-folder');
    fs.mkdirSync(dir);
    const e = await refused(dir, 'in-place');
    expect(e.code).toBe('NOT_A_FILE');
    expect(e.message).toContain(dir);
  });

  it('a named pipe is NOT_A_FILE (and does not hang waiting for a writer)', async () => {
    const fifo = path.join(h.root, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const e = await refused(fifo);
    expect(e.code).toBe('NOT_A_FILE');
    expect(e.message).toContain(fifo);
  });

  it.skipIf(isRoot)('an unreadable file is UNREADABLE naming the path', async () => {
    const file = path.join(h.root, 'secret.bin');
    fs.writeFileSync(file, 'locked');
    fs.chmodSync(file, 0o000);
    try {
      const e = await refused(file);
      expect(e.code).toBe('UNREADABLE');
      expect(e.message).toContain(file);
    } finally {
      fs.chmodSync(file, 0o600);
    }
  });

  describe.each(['in-place', 'copy'] as const)('a file that grows while it is hashed (%s)', (mode) => {
    it('fails the job with FILE_CHANGED; the artifact is failed, never complete, and no copy remains', async () => {
      const file = path.join(h.root, `growing-${mode}.log`);
      makeSparseFile(file, 300 * MiB);
      // Something keeps writing to the source, as a live log or a mounted disk would.
      const grow = setInterval(() => fs.appendFileSync(file, Buffer.alloc(4096, 0x41)), 5);
      let jobId: string;
      let artifactId: string;
      try {
        ({ jobId, artifactId } = await h.call('evidence.add', { caseId: c.id, sourcePath: file, mode }));
        const job = await h.waitJob(c.id, jobId);
        expect(job.state).toBe('failed');
        expect(job.error).toContain(file);
      } finally {
        clearInterval(grow);
      }
      const log = await h.call('custody.list', { caseId: c.id, artifactId, limit: 1000 });
      const failed = log.events.find((e) => e.action === 'job.failed');
      expect(failed?.details).toMatchObject({ jobId, code: 'FILE_CHANGED' });
      expect(log.events.map((e) => e.action)).not.toContain('artifact.added');
      const a = await h.call('evidence.get', { caseId: c.id, artifactId });
      expect(a).toMatchObject({ state: 'failed', hashes: null, hashedAt: null });
      expect((await h.call('cases.get', { caseId: c.id })).artifactCount).toBe(0);
      if (mode === 'copy') {
        expect(fs.existsSync(path.join(c.path, a.storedPath))).toBe(false);
        expect(fs.readdirSync(path.join(c.path, 'evidence'), { recursive: true }).filter((p) => String(p).includes('.log'))).toEqual([]);
      }
      // The source itself was only read.
      expect(fs.statSync(file).size).toBeGreaterThan(300 * MiB);
      expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
      fs.rmSync(file);
    });
  });
});

/** The nobody account must be able to reach the project (a checkout under a 0700 folder is not). */
function nobodyCanRunCli(): boolean {
  const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(CLI_BUNDLE)}); require(${JSON.stringify(path.join(PROJECT_ROOT, 'node_modules', 'better-sqlite3'))})`], {
    uid: NOBODY, gid: NOBODY, cwd: os.tmpdir(), stdio: 'pipe',
  });
  if (r.status !== 0) console.warn(`skipped: the account nobody cannot read ${PROJECT_ROOT} (a parent folder is private), so the run-as-nobody CLI variant cannot run here; hashing-process.test.ts still checks UNREADABLE as nobody`);
  return r.status === 0;
}

describe.skipIf(!isRoot)('adding an unreadable file through the CLI, as an account that cannot read it', () => {
  it('is UNREADABLE naming the path, and records no artifact', (ctx) => {
    ensureCliBundle();
    if (!nobodyCanRunCli()) return ctx.skip();
    const root = tempDir('caseward-unreadable-');
    try {
      fs.chmodSync(root, 0o755);
      const home = path.join(root, 'nobody');
      fs.mkdirSync(home);
      fs.chownSync(home, NOBODY, NOBODY);
      const secret = path.join(root, 'root-only.bin');
      fs.writeFileSync(secret, 'only root may read this', { mode: 0o600 });
      const cli = (...args: string[]) =>
        execFileSync(process.execPath, [CLI_BUNDLE, ...args, '--user-data', path.join(home, 'ud'), '--cases-dir', path.join(home, 'cases')], {
          cwd: PROJECT_ROOT, uid: NOBODY, gid: NOBODY, encoding: 'utf8', stdio: 'pipe',
        });
      cli('profile', '--name', 'Nobody', '--org', 'Test IR Ltd');
      const folder = (JSON.parse(cli('create', '--json', '--number', 'IR-NOBODY', '--title', 'Unreadable')) as { path: string }).path;
      let stderr = '';
      try {
        cli('add', folder, secret);
      } catch (err) {
        stderr = String((err as { stderr?: string }).stderr);
      }
      expect(stderr).toContain('UNREADABLE');
      expect(stderr).toContain(secret);
      const listed = JSON.parse(cli('artifacts', '--json', folder)) as unknown[];
      expect(listed).toEqual([]);
      expect(fs.readdirSync(path.join(folder, 'evidence'))).toEqual([]);
    } finally {
      removeTree(root);
    }
  });
});
