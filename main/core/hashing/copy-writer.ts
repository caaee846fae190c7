import { fileError, writeAll } from './file-io.js';
import type { DestFile } from './pass-types.js';

// Without this, the kernel starts writing a multi-GiB copy only when dirty pages reach ~10% of RAM
// or at the final fsync, so the copy waits on the disk after hashing is done. Flushing every 64 MiB
// in the background lets the disk write while the CPUs hash.
const FLUSH_EVERY_BYTES = 64 * 1024 * 1024;

/** Writes ring chunks to the copy in order, on this thread, and flushes them to disk as it goes. */
export class CopyWriter {
  /** Chunks fully written; a ring slot can be refilled once its chunk is counted here. */
  written = 0;
  /** The first write or flush error; later chunks are dropped once it is set. */
  error: unknown = null;
  private chain: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | null = null;
  private unflushed = 0;

  constructor(
    private readonly dest: DestFile,
    private readonly onProgress: () => void,
  ) {}

  /** Queues `chunk` (a view of a ring slot, which must stay untouched until `written` passes it). */
  enqueue(chunk: Buffer, position: number): void {
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      try {
        await writeAll(this.dest.handle, this.dest.path, chunk, position);
        this.written += 1;
        this.unflushed += chunk.length;
        if (this.unflushed >= FLUSH_EVERY_BYTES && !this.flushing) this.startFlush();
      } catch (err) {
        this.error = err;
      }
      this.onProgress();
    });
  }

  /** Resolves once every queued write and flush has finished (never rejects; see `error`). */
  async settled(): Promise<void> {
    await this.chain;
    await this.flushing;
  }

  private startFlush(): void {
    this.unflushed = 0;
    this.flushing = this.dest.handle
      .datasync()
      .catch((err: unknown) => {
        this.error ??= fileError(err, this.dest.path, 'writing');
      })
      .finally(() => {
        this.flushing = null;
      });
  }
}
