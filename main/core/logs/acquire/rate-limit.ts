/**
 * Pacing for APIs with a documented request rate (CloudTrail LookupEvents: 2 per second per
 * account and region). A token bucket of one token, refilled at the rate with a 5 % margin, so
 * network jitter never lets the service see more than the rate within any second.
 */
import { AppError } from '../../../../shared/errors.js';

/** Waits `ms`, or rejects with CANCELLED when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError('CANCELLED', 'Cancelled'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new AppError('CANCELLED', 'Cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A one-token bucket: `take()` resolves when the next request may go out. */
export class TokenBucket {
  private next = 0;
  private readonly intervalMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.intervalMs = (1000 / requestsPerSecond) * 1.05;
  }

  /** Waits for the token, then spends it. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.next - this.now();
    if (wait > 0) await sleep(wait, signal);
    this.next = Math.max(this.now(), this.next) + this.intervalMs;
  }
}

/** Backoff before retry `attempt` (1-based): 1 s, 2 s, 4 s … at most 20 s, with up to 25 % jitter. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(20_000, 1000 * 2 ** (attempt - 1));
  return Math.round(base * (1 + 0.25 * random()));
}
