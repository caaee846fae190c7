/**
 * Resuming a snapshot download: cancel mid-way, damage a block the manifest recorded, run again:
 * verified blocks are reused (not fetched), the damaged one is fetched again, the hashes are still
 * those of the whole image. Also: what a resume refuses to touch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomFillSync } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadSnapshot } from '../../main/core/aws/ebs-image/download-snapshot.js';
import { AppError } from '../../shared/errors.js';
import { coreutilsDigest } from '../support/evidence-files.js';
import { BLOCK, FakeBlockSource } from '../support/ebs-fake-source.js';

const SNAP = 'snap-00000000000000abc';
let dir: string;
let sourceImage: string;
const holes = (i: number): boolean => i % 5 === 2;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ebs-resume-'));
  sourceImage = path.join(dir, 'source.img');
  const fd = fs.openSync(sourceImage, 'w');
  fs.ftruncateSync(fd, 160 * BLOCK);
  for (let i = 0; i < 160; i += 1) if (!holes(i)) fs.writeSync(fd, randomFillSync(Buffer.alloc(BLOCK)), 0, BLOCK, i * BLOCK);
  fs.closeSync(fd);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function source(latencyMs = 2): FakeBlockSource {
  return FakeBlockSource.fromFile(SNAP, sourceImage, { listed: (i) => !holes(i), faults: { latencyMs }, pageSize: 40 });
}

function manifestRows(file: string): { block_index: number; fetched_run: number; verified_run: number }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT block_index, fetched_run, verified_run FROM blocks ORDER BY block_index').all() as never;
  } finally {
    db.close();
  }
}

describe('downloadSnapshot resume', () => {
  it('resumes after a cancel, reuses verified blocks, re-fetches a damaged one, hashes the whole image', async () => {
    const dest = path.join(dir, 'cancelled.img');
    const manifestPath = `${dest}.manifest.sqlite`;
    const first = source();
    const controller = new AbortController();
    first.onGet = (_index, gets) => {
      if (gets === 60) controller.abort();
    };
    const err = await downloadSnapshot({ source: first, snapshotId: SNAP, dest, manifestPath, concurrency: 8, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    first.close();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CANCELLED');
    // The partial image keeps its full size, and the manifest names the blocks written so far.
    expect(fs.statSync(dest).size).toBe(160 * BLOCK);
    const recorded = manifestRows(manifestPath);
    expect(recorded.length).toBeGreaterThan(10);
    expect(recorded.length).toBeLessThan(128);
    const db = new Database(manifestPath, { readonly: true });
    expect(db.prepare('SELECT outcome FROM runs WHERE run = 1').get()).toEqual({ outcome: 'cancelled' });
    db.close();

    // Damage one recorded block in the image between the runs.
    const damaged = recorded[3]!.block_index;
    const fd = fs.openSync(dest, 'r+');
    fs.writeSync(fd, Buffer.from('tampered'), 0, 8, damaged * BLOCK + 1000);
    fs.closeSync(fd);

    const second = source();
    const fetchedIndices: number[] = [];
    second.onGet = (index) => fetchedIndices.push(index);
    const result = await downloadSnapshot({ source: second, snapshotId: SNAP, dest, manifestPath, concurrency: 8 });
    second.close();
    expect(result.resumed).toBe(true);
    expect(result.manifestRun).toBe(2);
    expect(result.blocksReused).toBe(recorded.length - 1);
    expect(result.blocksRepaired).toBe(1);
    expect(result.blocksFetched).toBe(128 - result.blocksReused);
    expect(fetchedIndices).toContain(damaged);
    for (const r of recorded) if (r.block_index !== damaged) expect(fetchedIndices).not.toContain(r.block_index);
    for (const [tool, key] of [['sha256sum', 'sha256'], ['sha1sum', 'sha1'], ['md5sum', 'md5']] as const) {
      const expected = await coreutilsDigest(tool, sourceImage);
      expect(result[key]).toBe(expected);
      expect(await coreutilsDigest(tool, dest)).toBe(expected);
    }

    // The manifest shows which blocks were reused in run 2 and which were fetched.
    const after = manifestRows(manifestPath);
    expect(after.length).toBe(128);
    expect(after.filter((r) => r.fetched_run === 1 && r.verified_run === 2).length).toBe(result.blocksReused);
    expect(after.find((r) => r.block_index === damaged)).toMatchObject({ fetched_run: 2, verified_run: 2 });

    // A third run over a complete image fetches nothing and gives the same hashes.
    const third = source(0);
    const again = await downloadSnapshot({ source: third, snapshotId: SNAP, dest, manifestPath });
    third.close();
    expect(again).toMatchObject({ blocksFetched: 0, blocksReused: 128, sha256: result.sha256, md5: result.md5, sha1: result.sha1 });
    expect(third.stats.gets).toBe(0);
  });

  it('refuses an existing image without a manifest, and leaves it untouched', async () => {
    const dest = path.join(dir, 'foreign.img');
    fs.writeFileSync(dest, 'not ours');
    const s = source(0);
    const err = await downloadSnapshot({ source: s, snapshotId: SNAP, dest, manifestPath: `${dest}.manifest.sqlite` }).catch((e: unknown) => e);
    s.close();
    expect((err as AppError).code).toBe('EXISTS');
    expect(fs.readFileSync(dest, 'utf8')).toBe('not ours');
    expect(fs.existsSync(`${dest}.manifest.sqlite`)).toBe(false);
  });

  it('refuses a manifest that belongs to another snapshot', async () => {
    const dest = path.join(dir, 'other.img');
    const manifestPath = `${dest}.manifest.sqlite`;
    const s = source(0);
    await downloadSnapshot({ source: s, snapshotId: SNAP, dest, manifestPath });
    const before = await coreutilsDigest('sha256sum', dest);
    const err = await downloadSnapshot({ source: s, snapshotId: 'snap-99999999999999999', dest, manifestPath }).catch((e: unknown) => e);
    s.close();
    expect((err as AppError).code).toBe('CONFLICT');
    expect((err as Error).message).toContain('belongs to another download');
    expect(await coreutilsDigest('sha256sum', dest)).toBe(before);
  });
});
