/** The per-block download manifest: records, lookups, runs, refusal of a foreign manifest. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockManifest } from '../../main/core/aws/ebs-image/manifest.js';
import { AppError } from '../../shared/errors.js';

const meta = { snapshotId: 'snap-0123456789abcdef0', blockSize: 524288, volumeSizeBytes: 8 * 1024 ** 3 };
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-manifest-'));
  file = path.join(dir, 'm.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('BlockManifest', () => {
  it('records blocks per run, finds them in a later run, and counts reused and fetched', () => {
    const m1 = BlockManifest.open(file, meta, true);
    expect(m1.run).toBe(1);
    m1.recordFetched(5, digest('5'), 0);
    m1.recordFetched(9, digest('9'), 2);
    m1.finish('cancelled', { note: 'test' });
    m1.close();

    const m2 = BlockManifest.open(file, meta, false);
    expect(m2.run).toBe(2);
    expect(m2.lookup(5)).toEqual(digest('5'));
    expect(m2.lookup(6)).toBeUndefined();
    m2.recordReused(5);
    m2.recordFetched(9, digest('9 again'), 1);
    m2.recordFetched(11, digest('11'), 0);
    expect(m2.summary()).toEqual({ run: 2, blocksRecorded: 3, fetchedThisRun: 2, reusedThisRun: 1, blocksWithChecksumFailures: 1 });
    m2.finish('completed', { blocks: 3 });
    m2.close();

    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT run, outcome FROM runs ORDER BY run').all()).toEqual([
      { run: 1, outcome: 'cancelled' },
      { run: 2, outcome: 'completed' },
    ]);
    expect(db.prepare('SELECT checksum_failures FROM blocks WHERE block_index = 9').get()).toEqual({ checksum_failures: 3 });
    db.close();
  });

  it('drops earlier block records when the image is created afresh', () => {
    const m1 = BlockManifest.open(file, meta, true);
    m1.recordFetched(1, digest('1'), 0);
    m1.close();
    const m2 = BlockManifest.open(file, meta, true);
    expect(m2.lookup(1)).toBeUndefined();
    m2.close();
  });

  it('refuses a manifest of another snapshot or geometry, and leaves it as it was', () => {
    const m1 = BlockManifest.open(file, meta, true);
    m1.recordFetched(1, digest('1'), 0);
    m1.close();
    for (const other of [{ ...meta, snapshotId: 'snap-1111111111111111' }, { ...meta, volumeSizeBytes: 16 * 1024 ** 3 }]) {
      let err: unknown;
      try {
        BlockManifest.open(file, other, true);
      } catch (e) {
        err = e;
      }
      expect((err as AppError).code).toBe('CONFLICT');
    }
    const m = BlockManifest.open(file, meta, false);
    expect(m.lookup(1)).toEqual(digest('1'));
    m.close();
  });

  it('survives being closed without finish: batched records are flushed on close', () => {
    const m = BlockManifest.open(file, meta, true);
    for (let i = 0; i < 100; i += 1) m.recordFetched(i, digest(String(i)), 0);
    m.close();
    const again = BlockManifest.open(file, meta, false);
    expect(again.summary().blocksRecorded).toBe(100);
    again.close();
  });
});
