import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { hashFile, RING_SLOT_SIZE, shutdownHashWorkers } from '../../main/core/hashing/index.js';
import { bundleHashing } from '../bench/bundle-hashing.mjs';

const run = promisify(execFile);
const NOBODY = 65534;

let dir = '';
let bundle = '';
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-hashing-proc-'));
  // Readable by another account, for the run-as-nobody test below.
  fs.chmodSync(dir, 0o755);
  bundle = (await bundleHashing(dir)).modulePath;
}, 60_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await shutdownHashWorkers();
});

/** Runs hashFile from the bundled engine in a fresh Node process; resolves with what it printed. */
async function hashInChild(file: string, options: { uid?: number; gid?: number } = {}) {
  const script = `
    const { hashFile } = await import(${JSON.stringify(bundle)});
    try { console.log(JSON.stringify({ ok: true, value: await hashFile(${JSON.stringify(file)}) })); }
    catch (e) { console.log(JSON.stringify({ ok: false, code: e.code, message: e.message })); }
  `;
  const started = Date.now();
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: os.tmpdir(),
    timeout: 30_000,
    ...options,
  });
  return { result: JSON.parse(stdout) as Record<string, unknown>, ms: Date.now() - started };
}

describe('hashing in a process of its own', () => {
  it('the process exits by itself after hashing through the workers', async () => {
    const file = path.join(dir, 'exit-check');
    fs.writeFileSync(file, randomBytes(RING_SLOT_SIZE * 2 + 1));
    // The idle worker pair is kept for a minute: if it held the process open, this would time out.
    const { result, ms } = await hashInChild(file);
    expect(result.ok).toBe(true);
    expect((result.value as { md5: string }).md5).toBe((await hashFile(file)).md5);
    expect(ms).toBeLessThan(20_000);
  });
});

/** Whether this account can still read a chmod 000 file (root can, with CAP_DAC_OVERRIDE). */
function chmodStopsUs(): boolean {
  const probe = path.join(dir, 'probe');
  fs.writeFileSync(probe, 'x');
  fs.chmodSync(probe, 0o000);
  try {
    fs.closeSync(fs.openSync(probe, 'r'));
    return false;
  } catch {
    return true;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

describe('a file this account cannot read', () => {
  it('UNREADABLE, naming the file', async (ctx) => {
    if (process.platform === 'win32') {
      console.warn('skipped: unreadable-file test relies on POSIX permissions');
      ctx.skip();
    }
    const file = path.join(dir, 'locked.dd');
    fs.writeFileSync(file, randomBytes(RING_SLOT_SIZE + 5));
    fs.chmodSync(file, 0o000);

    if (chmodStopsUs()) {
      const err = await hashFile(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('UNREADABLE');
      expect((err as AppError).message).toContain(file);
      return;
    }
    // Root reads mode-000 files anyway, so run the engine as 'nobody' in a child process instead.
    const canDrop = process.getuid?.() === 0;
    const dropped = canDrop
      ? await run(process.execPath, ['-e', '0'], { uid: NOBODY, gid: NOBODY, cwd: os.tmpdir() }).then(
          () => true,
          () => false,
        )
      : false;
    if (!dropped) {
      console.warn('skipped: chmod 000 does not stop this account and it cannot switch to uid nobody');
      ctx.skip();
    }
    const { result } = await hashInChild(file, { uid: NOBODY, gid: NOBODY });
    expect(result).toMatchObject({ ok: false, code: 'UNREADABLE' });
    expect(String(result.message)).toContain(file);
  });
});
