/**
 * Runs one call to the block source the way every call must run: inside a concurrency slot, with a
 * timeout, and retried with full-jitter backoff while the error says retrying may help (throttling,
 * 5xx, timeouts, dropped connections). Throttling and timeouts also halve the concurrency limit (AIMD).
 */
import { AppError } from '../../../../shared/errors.js';
import { BlockSourceError, RequestTimeoutError, ThrottledError } from './errors.js';
import { AdaptiveLimiter, backoffDelay, sleep, withTimeout } from './flow-control.js';

/** Retry and timeout settings. */
export interface RetryPolicy {
  /** Per request, including reading the whole body. */
  requestTimeoutMs: number;
  /** Retries per request for transient errors (so up to maxRetries + 1 attempts). */
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Injected in tests for reproducible jitter. */
  random?: () => number;
}

/** Counters every run reports. */
export interface RequestCounters {
  retries: number;
  throttles: number;
  timeouts: number;
}

/** Runs block-source calls with slots, timeouts, retries and adaptive concurrency. */
export class Requester {
  readonly counters: RequestCounters = { retries: 0, throttles: 0, timeouts: 0 };

  constructor(
    private readonly policy: RetryPolicy,
    readonly limiter: AdaptiveLimiter,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Calls `fn` until it succeeds, a non-retryable error occurs, or retries run out (UNREADABLE, naming
   * `label`). `priority` orders waiting calls (lower first: the block index, or -1 for listings).
   */
  async run<T>(label: string, priority: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { requestTimeoutMs, maxRetries, backoffBaseMs, backoffCapMs, random } = this.policy;
    for (let attempt = 0; ; attempt += 1) {
      const epoch = await this.limiter.acquire(priority, this.signal);
      let last: BlockSourceError;
      try {
        const value = await withTimeout(this.signal, requestTimeoutMs, () => new RequestTimeoutError(label, requestTimeoutMs), fn);
        this.limiter.onSuccess();
        return value;
      } catch (err) {
        if (this.signal.aborted) throw this.signal.reason;
        if (!(err instanceof BlockSourceError) || !err.retryable) throw err;
        last = err;
        if (err instanceof ThrottledError) {
          this.counters.throttles += 1;
          this.limiter.onThrottle(epoch);
        } else if (err instanceof RequestTimeoutError) {
          // A timeout is congestion too: on a slow link, 64 requests share the bandwidth and each
          // may outlast its timeout; fewer at a time lets them finish.
          this.counters.timeouts += 1;
          this.limiter.onThrottle(epoch);
        }
      } finally {
        // The slot is given back before sleeping: a backing-off request must not hold it.
        this.limiter.release();
      }
      if (attempt >= maxRetries) {
        throw new AppError('UNREADABLE', `${label} failed after ${attempt + 1} attempts; the last error: ${last.message}`, { cause: last });
      }
      this.counters.retries += 1;
      await sleep(backoffDelay(attempt, backoffBaseMs, backoffCapMs, random), this.signal);
    }
  }
}
