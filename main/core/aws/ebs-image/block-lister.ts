/**
 * Walks a snapshot's block listing lazily, page by page, handing blocks out in index order, and
 * re-lists from a block's index when its token has expired. Only the current page and the blocks in
 * flight are held, so memory does not grow with the volume (a 16 TiB volume lists 32 million blocks).
 */
import { AppError } from '../../../../shared/errors.js';
import type { BlockListing } from './block-source.js';
import { ExpiredTokenError } from './errors.js';

/** A listed block as the engine holds it; the token is replaced in place when re-listed. */
export interface LiveBlock {
  index: number;
  token: string;
  /** When the token stops working (ms since the epoch). */
  expiresAt: number;
  /** Bumped on every re-list, so concurrent failures of one token re-list only once. */
  generation: number;
}

/** Geometry from the first page. */
export interface Geometry {
  volumeSizeBytes: number;
  blockSize: number;
  totalBlocks: number;
}

/** How the lister calls ListSnapshotBlocks (the engine wraps timeouts and retries around it). */
export type ListCall = (opts: { startIndex?: number; nextToken?: string }) => Promise<BlockListing>;

/** Lazily pages through ListSnapshotBlocks and keeps tokens fresh. */
export class BlockLister {
  /** Blocks listed and not yet released, in or out of the queue; re-lists update these. */
  private readonly known = new Map<number, LiveBlock>();
  private queue: LiveBlock[] = [];
  private nextToken: string | undefined;
  private lastIndex = -1;
  private done = false;
  private refreshing: Promise<void> | null = null;
  private geometryValue: Geometry | null = null;
  /** How many times tokens were re-listed. */
  relists = 0;
  /** Blocks listed so far (each counted once). */
  listed = 0;

  constructor(
    private readonly snapshotId: string,
    private readonly call: ListCall,
  ) {}

  /** Lists the first page and returns the volume's geometry. */
  async start(): Promise<Geometry> {
    await this.fetchPage();
    return this.geometry;
  }

  /** Geometry once start() resolved. */
  get geometry(): Geometry {
    if (!this.geometryValue) throw new AppError('INTERNAL', 'The block listing has not started.');
    return this.geometryValue;
  }

  /** The next listed block in index order, or null after the last. */
  async next(): Promise<LiveBlock | null> {
    while (this.queue.length === 0 && !this.done) await this.fetchPage();
    return this.queue.shift() ?? null;
  }

  /** The engine is done with a block (written, or failed for good). */
  release(block: LiveBlock): void {
    this.known.delete(block.index);
  }

  /**
   * Replaces the block's token (and those of every block held after it) by listing again from its
   * index. `seenGeneration` is the generation whose token failed; if another request already
   * re-listed since, this returns at once.
   */
  async refresh(block: LiveBlock, seenGeneration: number): Promise<void> {
    // One re-list at a time: the failures of one expired page arrive together.
    while (this.refreshing) await this.refreshing.catch(() => undefined);
    if (block.generation !== seenGeneration) return;
    this.refreshing = this.relistFrom(block.index).finally(() => (this.refreshing = null));
    await this.refreshing;
    if (block.generation === seenGeneration) {
      throw new AppError('UNREADABLE', `Block ${block.index} of ${this.snapshotId} is no longer in the snapshot's listing.`);
    }
  }

  private async relistFrom(startIndex: number): Promise<void> {
    this.relists += 1;
    let last = startIndex;
    for (const index of this.known.keys()) last = Math.max(last, index);
    let page = await this.call({ startIndex });
    for (;;) {
      let reached = -1;
      for (const b of page.blocks) {
        reached = b.index;
        const held = this.known.get(b.index);
        if (held) {
          held.token = b.token;
          held.expiresAt = page.expiry.getTime();
          held.generation += 1;
        }
      }
      if (!page.nextToken || reached >= last) return;
      page = await this.call({ nextToken: page.nextToken });
    }
  }

  private async fetchPage(): Promise<void> {
    let page: BlockListing;
    if (this.nextToken) {
      try {
        page = await this.call({ nextToken: this.nextToken });
      } catch (err) {
        if (!(err instanceof ExpiredTokenError)) throw err;
        // Page tokens expire too; the listing can always be resumed from the next index instead.
        page = await this.call({ startIndex: this.lastIndex + 1 });
      }
    } else {
      page = await this.call({ startIndex: this.lastIndex + 1 });
    }
    this.takeGeometry(page);
    const total = this.geometry.totalBlocks;
    for (const b of page.blocks) {
      // A re-started listing may repeat blocks already handed out; anything else out of order is a broken listing.
      if (b.index <= this.lastIndex) continue;
      if (!Number.isInteger(b.index) || b.index >= total) {
        throw new AppError('UNREADABLE', `The listing of ${this.snapshotId} named block ${b.index}, outside the volume's ${total} blocks.`);
      }
      const live: LiveBlock = { index: b.index, token: b.token, expiresAt: page.expiry.getTime(), generation: 0 };
      this.queue.push(live);
      this.known.set(b.index, live);
      this.lastIndex = b.index;
      this.listed += 1;
    }
    this.nextToken = page.nextToken;
    if (!page.nextToken) this.done = true;
  }

  private takeGeometry(page: BlockListing): void {
    const { volumeSizeBytes, blockSize } = page;
    if (this.geometryValue) {
      if (volumeSizeBytes !== this.geometryValue.volumeSizeBytes || blockSize !== this.geometryValue.blockSize) {
        throw new AppError('UNREADABLE', `The listing of ${this.snapshotId} changed the volume or block size between pages.`);
      }
      return;
    }
    if (!Number.isSafeInteger(blockSize) || blockSize <= 0 || !Number.isSafeInteger(volumeSizeBytes) || volumeSizeBytes <= 0) {
      throw new AppError('UNREADABLE', `The listing of ${this.snapshotId} gave an unusable geometry (volume ${volumeSizeBytes} bytes, block ${blockSize} bytes).`);
    }
    if (volumeSizeBytes % blockSize !== 0) {
      throw new AppError('UNREADABLE', `The volume size of ${this.snapshotId} (${volumeSizeBytes} bytes) is not a whole number of ${blockSize}-byte blocks.`);
    }
    this.geometryValue = { volumeSizeBytes, blockSize, totalBlocks: volumeSizeBytes / blockSize };
  }
}
