/**
 * The reorder window between out-of-order block arrivals and the in-order image hash. Listed blocks
 * are announced in index order as they are dispatched (`expect`), delivered in any order
 * (`deliver`), and fed to the hasher strictly by index; every index between them that the listing
 * skipped is a sparse hole and is fed as zeros. The window holds only blocks that are dispatched and
 * not yet hashed; the engine bounds how many that may be.
 */
import type { MultiHasher } from './multi-hasher.js';

// Holes are fed in runs of at most this many blocks, so progress and cancellation stay responsive
// inside a terabyte-sized hole.
const MAX_HOLE_RUN_BLOCKS = 512;

/** Feeds a hasher with the whole image in block order. */
export class OrderedFeed {
  private cursor = 0;
  private frontier = 0;
  private readonly expected: number[] = [];
  private head = 0;
  private readonly ready = new Map<number, Buffer>();
  private running = false;
  private dirty = false;
  private stopped = false;
  private resolveDone!: () => void;
  private rejectDone!: (err: unknown) => void;
  /** Resolves once every block (listed or hole) has been fed; rejects if the hasher fails. */
  readonly done: Promise<void>;
  /** Holes fed as zeros. */
  holesFed = 0;

  constructor(
    private readonly hasher: MultiHasher,
    private readonly blockSize: number,
    private readonly totalBlocks: number,
    /** Called after each listed block is hashed (with its buffer, now free) and after hole runs (null). */
    private readonly onAdvance: (hashedBlock: Buffer | null, bytesHashed: number) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // The engine awaits `done` only on success; a failure is reported through its own path too.
    this.done.catch(() => undefined);
  }

  /** Blocks fed so far: everything before this index is hashed. */
  get position(): number {
    return this.cursor;
  }

  /** Listed block `index` was dispatched; indices must come in ascending order. */
  expect(index: number): void {
    this.expected.push(index);
    this.frontier = index + 1;
    this.kick();
  }

  /** The listing has ended: everything after the last listed block is a hole. */
  listingEnded(): void {
    this.frontier = this.totalBlocks;
    this.kick();
  }

  /** A listed block's verified bytes, in any order. */
  deliver(index: number, data: Buffer): void {
    if (this.stopped) return;
    this.ready.set(index, data);
    this.kick();
  }

  /** Stops feeding (failure or cancellation) and drops the buffered blocks. */
  stop(): void {
    this.stopped = true;
    this.ready.clear();
  }

  private kick(): void {
    this.dirty = true;
    if (this.running || this.stopped) return;
    this.running = true;
    void this.loop().finally(() => {
      this.running = false;
      // Something arrived between the loop's last look and here.
      if (this.dirty) this.kick();
    });
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty && !this.stopped) {
        this.dirty = false;
        await this.advance();
      }
    } catch (err) {
      this.stop();
      this.rejectDone(err);
    }
  }

  /** Feeds as far as the delivered blocks and the known listing allow. */
  private async advance(): Promise<void> {
    while (!this.stopped && this.cursor < this.totalBlocks) {
      const next = this.head < this.expected.length ? this.expected[this.head]! : undefined;
      if (next === this.cursor) {
        const data = this.ready.get(next);
        if (!data) return;
        this.ready.delete(next);
        this.head += 1;
        if (this.head > 1024) {
          this.expected.splice(0, this.head);
          this.head = 0;
        }
        await this.hasher.update(data);
        this.cursor += 1;
        this.onAdvance(data, this.cursor * this.blockSize);
        continue;
      }
      const end = Math.min(next ?? this.frontier, this.cursor + MAX_HOLE_RUN_BLOCKS);
      if (end <= this.cursor) return;
      await this.hasher.updateZeros((end - this.cursor) * this.blockSize);
      this.holesFed += end - this.cursor;
      this.cursor = end;
      this.onAdvance(null, this.cursor * this.blockSize);
    }
    if (!this.stopped && this.cursor >= this.totalBlocks) this.resolveDone();
  }
}
