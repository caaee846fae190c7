/**
 * Reusable block buffers. Each block otherwise costs a fresh 512 KiB allocation that the kernel
 * must fault in and zero, and the GC must free: about a second of CPU per GiB, measured. A buffer
 * goes back to the pool only when nothing can still write into it (its block was hashed); one
 * lent to a request that timed out is left to the GC, since an abandoned stream might still fill it.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly own = new WeakSet<Buffer>();

  constructor(
    readonly size: number,
    /** Buffers kept for reuse at most (the engine passes its memory budget in blocks). */
    private readonly keep: number,
  ) {}

  /** A buffer of `size` bytes, reused if one is free (contents undefined). */
  take(): Buffer {
    const reused = this.free.pop();
    if (reused) return reused;
    const fresh = Buffer.allocUnsafeSlow(this.size);
    this.own.add(fresh);
    return fresh;
  }

  /** Returns a buffer taken from this pool; anything else is ignored. */
  give(buffer: Buffer): void {
    if (this.own.has(buffer) && this.free.length < this.keep) this.free.push(buffer);
  }
}
