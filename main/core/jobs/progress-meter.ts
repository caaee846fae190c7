/** Turns raw byte/item counts into the shared Progress shape, with a smoothed rate and ETA. */
import type { Progress } from '../../../shared/types.js';

export interface ProgressUpdate {
  phase?: string;
  bytesDone?: number;
  bytesTotal?: number | null;
  itemsDone?: number;
  itemsTotal?: number | null;
  message?: string;
}

export class ProgressMeter {
  private current: Progress = { phase: 'starting', bytesDone: 0, bytesTotal: null, itemsDone: 0, itemsTotal: null, rate: 0, etaSeconds: null, message: '' };
  private lastSample = { t: 0, bytes: 0 };

  constructor(private readonly now: () => number = () => performance.now()) {
    this.lastSample.t = now();
  }

  update(u: ProgressUpdate): Progress {
    const next = { ...this.current, ...stripUndefined(u) };
    const t = this.now();
    const dt = (t - this.lastSample.t) / 1000;
    // Sample the rate at most every half second and smooth it, so the ETA does not jitter.
    if (dt >= 0.5) {
      const instant = Math.max(0, next.bytesDone - this.lastSample.bytes) / dt;
      next.rate = this.current.rate === 0 ? instant : 0.7 * this.current.rate + 0.3 * instant;
      this.lastSample = { t, bytes: next.bytesDone };
    }
    next.etaSeconds =
      next.bytesTotal !== null && next.rate > 0 ? Math.max(0, Math.round((next.bytesTotal - next.bytesDone) / next.rate)) : null;
    this.current = next;
    return next;
  }

  get value(): Progress {
    return this.current;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
