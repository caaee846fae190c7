/**
 * The set pass hashes on two worker threads (set-hash-pass.ts): per-segment and combined digests
 * must equal node:crypto's over the same bytes, including empty segments and segments longer than
 * the ring, and a segment that fails part-way must not leak bytes into the next segment's digests.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../shared/errors.js';
import { hashSegments } from '../../main/core/evidence/segment-pass.js';
import { verifySegments } from '../../main/core/evidence/verify-segments.js';
import { setHashWorkerScript } from '../../main/core/hashing/worker-pool.js';

const MIB = 1024 * 1024;
// 41 MiB over 5 files: more 4 MiB chunks than the ring's 8 slots, an empty segment, odd sizes.
const SIZES = [9 * MIB + 17, 0, 4 * MIB, 13 * MIB + 1, 15 * MIB - 18];

let dir = '';
let files: string[] = [];

function triple(data: Buffer | Buffer[]): { md5: string; sha1: string; sha256: string } {
  const parts = Array.isArray(data) ? data : [data];
  const [md5, sha1, sha256] = ['md5', 'sha1', 'sha256'].map((alg) => {
    const h = createHash(alg);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }) as [string, string, string];
  return { md5, sha1, sha256 };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return toErrorInfo(err).code;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-setpass-'));
  files = SIZES.map((size, i) => {
    const f = path.join(dir, `img.00${i + 1}`);
    fs.writeFileSync(f, randomBytes(size));
    return f;
  });
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('set pass on worker threads', () => {
  it('gives each segment its own digests and the set the digests of all bytes in order', async () => {
    const bytes = files.map((f) => fs.readFileSync(f));
    const seen: number[] = [];
    const r = await hashSegments(files, null, { onProgress: (d) => seen.push(d) });
    expect(r.size).toBe(SIZES.reduce((a, b) => a + b, 0));
    expect({ md5: r.md5, sha1: r.sha1, sha256: r.sha256 }).toEqual(triple(bytes));
    expect(r.segments).toEqual(files.map((f, i) => ({ name: path.basename(f), size: SIZES[i], ...triple(bytes[i]!) })));
    expect(seen.at(-1)).toBe(r.size);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('copies every segment read-only and byte-identical', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'copy-'));
    const r = await hashSegments(files, out);
    for (const [i, f] of files.entries()) {
      const copy = path.join(out, path.basename(f));
      expect(fs.readFileSync(copy).equals(fs.readFileSync(f))).toBe(true);
      expect(fs.statSync(copy).mode & 0o777).toBe(0o444);
      expect(r.segments[i]!.sha256).toBe(triple(fs.readFileSync(f)).sha256);
    }
  });

  it('cancels part-way, removing the partial copy, and a missing segment fails the pass', async () => {
    const out = fs.mkdtempSync(path.join(dir, 'cancel-'));
    const ac = new AbortController();
    const cancelled = hashSegments(files, out, { signal: ac.signal, onProgress: (d) => d > 10 * MIB && ac.abort() });
    expect(await code(cancelled)).toBe('CANCELLED');
    expect(fs.existsSync(path.join(out, 'img.004'))).toBe(false);
    expect(await code(hashSegments([...files, path.join(dir, 'img.009')], null))).toBe('FILE_MISSING');
  });

  it('verify drops a segment that changes while read, still hashes the next, and names an extra segment', async () => {
    const set = fs.mkdtempSync(path.join(dir, 'verify-'));
    const copies = files.map((f) => {
      const to = path.join(set, path.basename(f));
      fs.copyFileSync(f, to);
      return to;
    });
    const recorded = (await hashSegments(copies, null)).segments;
    // Appending to img.004 while it is read makes it FILE_CHANGED after some of its chunks were hashed.
    const base = SIZES[0]! + SIZES[1]! + SIZES[2]!;
    let grown = false;
    const onProgress = (d: number): void => {
      if (!grown && d > base) {
        grown = true;
        fs.appendFileSync(copies[3]!, 'x');
      }
    };
    const v = await verifySegments(copies[0]!, recorded, { onProgress });
    expect(v.segments.map((s) => s.result)).toEqual(['match', 'match', 'match', 'unreadable', 'match']);
    expect(v.segments[4]!.actual).toMatchObject({ size: SIZES[4], sha256: recorded[4]!.sha256 });
    expect(v.actual).toBeNull();

    fs.truncateSync(copies[3]!, SIZES[3]!);
    fs.writeFileSync(path.join(set, 'img.006'), 'later');
    const extra = await verifySegments(copies[0]!, recorded, {});
    expect(extra.result).toBe('mismatch');
    expect(extra.segments.at(-1)).toMatchObject({ name: 'img.006', result: 'mismatch' });
    expect(extra.message).toContain('segment img.006 was not part of the set');
    expect(extra.actual).toEqual(triple(files.map((f) => fs.readFileSync(f))));
  });

  it('reports a missing worker script as an internal error', async () => {
    setHashWorkerScript(path.join(dir, 'nowhere', 'hash-worker.cjs'));
    try {
      await expect(hashSegments(files, null)).rejects.toThrow(/hash-worker\.cjs/);
    } finally {
      setHashWorkerScript(undefined);
    }
  });
});
