/**
 * Flow control for block requests: an AIMD concurrency limit (halve on throttling, +1 after a run of
 * successes, never above the configured maximum), full-jitter exponential backoff, and an
 * abortable sleep.
 */

interface Waiter {
  priority: number;
  resolve: (epoch: number) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * A counting semaphore whose limit adapts to throttling (and timeouts). Waiters are served lowest priority value
 * first (the engine passes the block index): a retried block is older than any new one, and the
 * in-order hash pipeline is waiting for it, so it must not queue behind fresh requests.
 */
export class AdaptiveLimiter {
  private active = 0;
  private current: number;
  private epoch = 0;
  private successes = 0;
  private readonly waiters: Waiter[] = [];
  /** Lowest limit reached so far (the examiner's report shows how hard AWS pushed back). */
  lowest: number;

  constructor(
    readonly max: number,
    /** Successes needed for one step up; a constant keeps recovery linear, as AIMD intends. */
    private readonly increaseEvery = 16,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, not ${max}`);
    this.current = max;
    this.lowest = max;
  }

  /** The limit now. */
  get limit(): number {
    return this.current;
  }

  /** Requests holding a slot now. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot; resolves with the epoch to pass back to onThrottle. */
  acquire(priority: number, signal: AbortSignal): Promise<number> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.current && this.waiters.length === 0) {
      this.active += 1;
      return Promise.resolve(this.epoch);
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve, reject, signal, onAbort: () => this.cancel(waiter) };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      // New requests mostly carry the highest index, so search from the end.
      let at = this.waiters.length;
      while (at > 0 && this.waiters[at - 1]!.priority > priority) at -= 1;
      this.waiters.splice(at, 0, waiter);
    });
  }

  /** Returns a slot taken with acquire. */
  release(): void {
    this.active -= 1;
    this.drain();
  }

  /** Additive increase: one more slot after `increaseEvery` successes. */
  onSuccess(): void {
    if (this.current >= this.max) return;
    this.successes += 1;
    if (this.successes >= this.increaseEvery) {
      this.successes = 0;
      this.current += 1;
      this.drain();
    }
  }

  /**
   * Multiplicative decrease, once per epoch: the requests already in flight when the limit was cut
   * will be throttled too, and must not cut it again for the same congestion.
   */
  onThrottle(epochAtAcquire: number): void {
    this.successes = 0;
    if (epochAtAcquire !== this.epoch) return;
    this.epoch += 1;
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.lowest = Math.min(this.lowest, this.current);
  }

  private drain(): void {
    while (this.active < this.current && this.waiters.length > 0) {
      const next = this.waiters.shift()!;
      next.signal.removeEventListener('abort', next.onAbort);
      this.active += 1;
      next.resolve(this.epoch);
    }
  }

  private cancel(waiter: Waiter): void {
    const at = this.waiters.indexOf(waiter);
    if (at >= 0) this.waiters.splice(at, 1);
    waiter.reject(waiter.signal.reason);
  }
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^attempt)) (attempt counts from 0). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` with a signal that aborts when `parent` does or after `timeoutMs`, and gives up waiting
 * at that moment even if `fn` ignores its signal (a hung socket must never hang the job). On timeout
 * it rejects with `onTimeout()`; on parent abort with the parent's reason.
 *
 * A hand-made timer rather than AbortSignal.timeout + AbortSignal.any: it is cleared as soon as the
 * request ends, and leaves no listener on the long-lived job signal (millions of requests per image).
 */
export function withTimeout<T>(
  parent: AbortSignal,
  timeoutMs: number,
  onTimeout: () => Error,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (parent.aborted) return Promise.reject(parent.reason);
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (ok: boolean, value: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
      if (ok) resolve(value as T);
      else reject(value);
    };
    const onParentAbort = (): void => {
      controller.abort(parent.reason);
      finish(false, parent.reason);
    };
    const timer = setTimeout(() => {
      const err = onTimeout();
      controller.abort(err);
      finish(false, err);
    }, timeoutMs);
    parent.addEventListener('abort', onParentAbort, { once: true });
    fn(controller.signal).then(
      (value) => finish(true, value),
      (err: unknown) => finish(false, err),
    );
  });
}
