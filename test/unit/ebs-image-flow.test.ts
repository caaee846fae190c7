/** Flow control of the snapshot imager: AIMD limit, priority order, backoff, timeouts, and the requester's retries. */
import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, backoffDelay, sleep, withTimeout } from '../../main/core/aws/ebs-image/flow-control.js';
import { Requester } from '../../main/core/aws/ebs-image/requester.js';
import { AccessDeniedError, RequestTimeoutError, ServerError, ThrottledError } from '../../main/core/aws/ebs-image/errors.js';
import { AppError } from '../../shared/errors.js';

const never = new AbortController().signal;

describe('AdaptiveLimiter', () => {
  it('halves once per epoch on throttling, and grows by one per run of successes up to the max', async () => {
    const l = new AdaptiveLimiter(64, 4);
    const epochs = await Promise.all(Array.from({ length: 10 }, () => l.acquire(0, never)));
    // Ten requests of the same epoch throttled: one cut, not ten.
    for (const e of epochs) l.onThrottle(e);
    expect(l.limit).toBe(32);
    const next = await l.acquire(0, never);
    l.onThrottle(next);
    expect(l.limit).toBe(16);
    expect(l.lowest).toBe(16);
    for (let i = 0; i < 8; i += 1) l.onSuccess();
    expect(l.limit).toBe(18);
    for (let i = 0; i < 1000; i += 1) l.onSuccess();
    expect(l.limit).toBe(64);
    expect(l.lowest).toBe(16);
  });

  it('never goes below one, and serves waiters lowest priority first', async () => {
    const l = new AdaptiveLimiter(1);
    const e = await l.acquire(0, never);
    l.onThrottle(e);
    expect(l.limit).toBe(1);
    const order: number[] = [];
    const waits = [50, 7, 30, 2].map((p) => l.acquire(p, never).then(() => order.push(p)));
    l.release();
    for (let i = 0; i < 4; i += 1) {
      await new Promise((r) => setImmediate(r));
      if (i < 3) l.release();
    }
    await Promise.all(waits);
    expect(order).toEqual([2, 7, 30, 50]);
  });

  it('rejects a waiter when its signal aborts and does not hand it a slot', async () => {
    const l = new AdaptiveLimiter(1);
    await l.acquire(0, never);
    const c = new AbortController();
    const waiting = l.acquire(1, c.signal);
    c.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    l.release();
    expect(l.inFlight).toBe(0);
  });
});

describe('backoff and timeouts', () => {
  it('full jitter stays within [0, min(cap, base * 2^attempt))', () => {
    expect(backoffDelay(0, 100, 20_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 20_000, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, 20_000, () => 0.999)).toBe(19_980);
    expect(backoffDelay(5, 100, 20_000, () => 0)).toBe(0);
  });

  it('withTimeout gives up on a call that ignores its signal', async () => {
    const started = Date.now();
    const hung = withTimeout(never, 50, () => new RequestTimeoutError('GetSnapshotBlock', 50), () => new Promise(() => undefined));
    await expect(hung).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('withTimeout aborts the inner signal and rejects with the parent reason on cancel', async () => {
    const parent = new AbortController();
    let inner: AbortSignal | undefined;
    const p = withTimeout(parent.signal, 10_000, () => new Error('timeout'), (s) => {
      inner = s;
      return new Promise(() => undefined);
    });
    parent.abort(new Error('cancelled'));
    await expect(p).rejects.toThrow('cancelled');
    expect(inner?.aborted).toBe(true);
  });

  it('sleep rejects as soon as the signal aborts', async () => {
    const c = new AbortController();
    const p = sleep(60_000, c.signal);
    c.abort(new Error('now'));
    await expect(p).rejects.toThrow('now');
  });
});

describe('Requester', () => {
  const policy = { requestTimeoutMs: 100, maxRetries: 3, backoffBaseMs: 1, backoffCapMs: 5 };

  it('retries throttling and 5xx, counting them, and cuts the limit on throttling', async () => {
    const r = new Requester(policy, new AdaptiveLimiter(8), never);
    const errors = [new ThrottledError('ThrottlingException'), new ServerError(500, 'x'), new ThrottledError('HTTP 503')];
    const value = await r.run('call', 0, async () => {
      const e = errors.shift();
      if (e) throw e;
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(r.counters).toEqual({ retries: 3, throttles: 2, timeouts: 0 });
    expect(r.limiter.limit).toBe(2);
  });

  it('stops after maxRetries with UNREADABLE naming the call, and never retries access denied', async () => {
    const r = new Requester(policy, new AdaptiveLimiter(8), never);
    let calls = 0;
    const err = await r.run('GetSnapshotBlock for block 9', 9, () => {
      calls += 1;
      return Promise.reject(new ServerError(502, 'bad gateway'));
    }).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect((err as AppError).code).toBe('UNREADABLE');
    expect((err as Error).message).toContain('GetSnapshotBlock for block 9 failed after 4 attempts');
    const denied = new AccessDeniedError('ebs:GetSnapshotBlock', '');
    calls = 0;
    await expect(r.run('x', 0, () => (calls++, Promise.reject(denied)))).rejects.toBe(denied);
    expect(calls).toBe(1);
  });

  it('times out a hung call and retries it', async () => {
    const r = new Requester(policy, new AdaptiveLimiter(8), never);
    let calls = 0;
    const value = await r.run('x', 0, () => (++calls === 1 ? new Promise<string>(() => undefined) : Promise.resolve('late but fine')));
    expect(value).toBe('late but fine');
    expect(r.counters.timeouts).toBe(1);
    // A timeout counts as congestion: the limit is cut like on throttling.
    expect(r.limiter.limit).toBe(4);
  });
});
