/**
 * An in-process BlockSource for the imaging engine's tests: serves a disk image file (or generated
 * content) as a snapshot, the way the EBS direct APIs would: paged listings with expiring tokens,
 * blocks with a SHA-256 checksum, and injectable faults (latency, throttling above a concurrency,
 * corrupted blocks, tokens that expire, requests that hang and ignore their signal).
 * The protocol-level fake (test/aws-fake/) replaces it for end-to-end tests.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { BlockListing, BlockSource, FetchedBlock, GetOptions, ListOptions } from '../../main/core/aws/ebs-image/block-source.js';
import { ExpiredTokenError, ThrottledError } from '../../main/core/aws/ebs-image/errors.js';

export const BLOCK = 512 * 1024;

/** Faults to inject; counts are per block index unless said otherwise. */
export interface Faults {
  /** Per-request latency (list and get). */
  latencyMs?: number;
  /** Corrupt the data (checksum then mismatches) the first n gets of a block; Infinity = always. */
  corrupt?: Map<number, number>;
  /** Throttle (RequestThrottledException) when more than this many gets are in flight. */
  throttleAbove?: number;
  /** These blocks hang on their first get and ignore the abort signal. */
  hangOnce?: Set<number>;
  /** After this many gets, every token issued so far stops working (once). */
  expireAfterGets?: number;
}

/** What the fake saw, for assertions. */
export interface FakeStats {
  lists: number;
  listStarts: (number | 'token')[];
  gets: number;
  maxInFlight: number;
  throttled: number;
  expiredRefusals: number;
  hung: number;
}

/** A snapshot made of `content(index)` for listed blocks. */
export class FakeBlockSource implements BlockSource {
  readonly stats: FakeStats = { lists: 0, listStarts: [], gets: 0, maxInFlight: 0, throttled: 0, expiredRefusals: 0, hung: 0 };
  /** Called after each get is counted (before it answers): tests cancel from here. */
  onGet: ((index: number, gets: number) => void) | null = null;
  private readonly listedIndices: number[];
  private readonly corruptLeft = new Map<number, number>();
  private readonly hung = new Set<number>();
  private inFlight = 0;
  private tokenEpoch = 0;
  private expiredOnce = false;

  constructor(
    readonly snapshotId: string,
    readonly volumeSizeBytes: number,
    listed: (index: number) => boolean,
    /** The block's bytes, written into `into` when given (as the engine lends its buffers). */
    private readonly content: (index: number, into?: Buffer) => Buffer,
    readonly faults: Faults = {},
    private readonly pageSize = 100,
  ) {
    const total = volumeSizeBytes / BLOCK;
    this.listedIndices = [];
    for (let i = 0; i < total; i += 1) if (listed(i)) this.listedIndices.push(i);
    for (const [i, n] of faults.corrupt ?? []) this.corruptLeft.set(i, n);
  }

  /** Serves an image file; by default every block that is not all zeros is listed. */
  static fromFile(snapshotId: string, file: string, opts: { listed?: (i: number, data: Buffer) => boolean; faults?: Faults; pageSize?: number } = {}): FakeBlockSource {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    const read = (i: number, into?: Buffer): Buffer => {
      const b = into ?? Buffer.alloc(BLOCK);
      fs.readSync(fd, b, 0, BLOCK, i * BLOCK);
      return b;
    };
    const listed = opts.listed ?? ((_: number, data: Buffer) => data.some((x) => x !== 0));
    const source = new FakeBlockSource(snapshotId, size, (i) => listed(i, read(i)), read, opts.faults, opts.pageSize);
    source.close = () => fs.closeSync(fd);
    return source;
  }

  /** Releases what the source holds open (the image file). */
  close: () => void = () => undefined;

  get listedCount(): number {
    return this.listedIndices.length;
  }

  async list(snapshotId: string, opts: ListOptions): Promise<BlockListing> {
    this.stats.lists += 1;
    await this.delay(opts.signal);
    const start = opts.nextToken ? Number(Buffer.from(opts.nextToken, 'base64').toString()) : (opts.startIndex ?? 0);
    this.stats.listStarts.push(opts.nextToken ? 'token' : start);
    let at = this.listedIndices.findIndex((i) => i >= start);
    if (at < 0) at = this.listedIndices.length;
    const page = this.listedIndices.slice(at, at + this.pageSize);
    const more = at + this.pageSize < this.listedIndices.length;
    return {
      blocks: page.map((index) => ({ index, token: `${snapshotId}:${index}:${this.tokenEpoch}` })),
      expiry: new Date(Date.now() + 3600_000),
      volumeSizeBytes: this.volumeSizeBytes,
      blockSize: BLOCK,
      ...(more ? { nextToken: Buffer.from(String(this.listedIndices[at + this.pageSize])).toString('base64') } : {}),
    };
  }

  async get(snapshotId: string, index: number, token: string, opts: GetOptions): Promise<FetchedBlock> {
    this.stats.gets += 1;
    this.onGet?.(index, this.stats.gets);
    const f = this.faults;
    if (f.expireAfterGets !== undefined && !this.expiredOnce && this.stats.gets > f.expireAfterGets) {
      this.expiredOnce = true;
      this.tokenEpoch += 1;
    }
    const [snap, idx, epoch] = token.split(':');
    if (snap !== snapshotId || Number(idx) !== index) throw new Error(`fake: token ${token} is not for block ${index}`);
    if (Number(epoch) !== this.tokenEpoch) {
      this.stats.expiredRefusals += 1;
      throw new ExpiredTokenError(`block token for ${index} expired`);
    }
    if (f.hangOnce?.has(index) && !this.hung.has(index)) {
      this.hung.add(index);
      this.stats.hung += 1;
      return new Promise<FetchedBlock>(() => undefined);
    }
    this.inFlight += 1;
    try {
      this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight);
      if (f.throttleAbove !== undefined && this.inFlight > f.throttleAbove) {
        this.stats.throttled += 1;
        await this.delay(opts.signal, 1);
        throw new ThrottledError('RequestThrottledException');
      }
      await this.delay(opts.signal);
      const data = this.content(index, opts.buffer);
      const checksumB64 = createHash('sha256').update(data).digest('base64');
      const left = this.corruptLeft.get(index) ?? 0;
      if (left > 0) {
        this.corruptLeft.set(index, left - 1);
        const bad = Buffer.from(data);
        bad[12345] = bad[12345]! ^ 0xff;
        return { data: bad, checksumB64, algorithm: 'SHA256' };
      }
      return { data, checksumB64, algorithm: 'SHA256' };
    } finally {
      this.inFlight -= 1;
    }
  }

  private delay(signal: AbortSignal, ms = this.faults.latencyMs ?? 0): Promise<void> {
    if (ms <= 0) return signal.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A small deterministic PRNG (mulberry32), so "random" test images are the same every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generated block content: a digest of the index repeated, cheap to make and different per block. */
export function patternBlock(index: number, into?: Buffer): Buffer {
  const b = into ?? Buffer.allocUnsafe(BLOCK);
  b.fill(createHash('sha256').update(`caseward block ${index}`).digest());
  return b;
}
