/** The progress meter's rate smoothing and ETA, driven by an injected clock. */
import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../../main/core/jobs/progress-meter.js';

const MB = 1_000_000;

/** A meter on a clock the test moves by hand (milliseconds). */
function meterAt(start = 1000) {
  let now = start;
  const meter = new ProgressMeter(() => now);
  return { meter, advance: (ms: number) => (now += ms) };
}

describe('ProgressMeter', () => {
  it('starts with no rate and no ETA', () => {
    const { meter } = meterAt();
    expect(meter.value).toMatchObject({ phase: 'starting', bytesDone: 0, rate: 0, etaSeconds: null });
  });

  it('takes the first sample as the rate, then smooths 70/30 with each later one', () => {
    const { meter, advance } = meterAt();
    meter.update({ phase: 'hashing', bytesTotal: 1000 * MB });
    advance(1000);
    expect(meter.update({ bytesDone: 100 * MB }).rate).toBeCloseTo(100 * MB, 3);
    advance(1000);
    // 200 MB in the second: 0.7 * 100 + 0.3 * 200.
    expect(meter.update({ bytesDone: 300 * MB }).rate).toBeCloseTo(130 * MB, 3);
    advance(2000);
    // 100 MB over two seconds is 50 MB/s: 0.7 * 130 + 0.3 * 50.
    expect(meter.update({ bytesDone: 400 * MB }).rate).toBeCloseTo(106 * MB, 3);
  });

  it('samples at most every half second, so bursts of ticks do not make the rate jitter', () => {
    const { meter, advance } = meterAt();
    meter.update({ bytesTotal: 100 * MB });
    advance(1000);
    const first = meter.update({ bytesDone: 10 * MB }).rate;
    advance(100);
    expect(meter.update({ bytesDone: 60 * MB }).rate).toBe(first);
    advance(300);
    expect(meter.update({ bytesDone: 61 * MB }).rate).toBe(first);
    advance(100);
    // Now 0.5 s since the last sample: 51 MB in 0.5 s.
    expect(meter.update({ bytesDone: 61 * MB }).rate).toBeCloseTo(0.7 * first + 0.3 * 102 * MB, 0);
  });

  it('gives the ETA as the bytes left over the smoothed rate, in whole seconds', () => {
    const { meter, advance } = meterAt();
    meter.update({ bytesTotal: 1000 * MB });
    advance(1000);
    expect(meter.update({ bytesDone: 100 * MB }).etaSeconds).toBe(9);
    advance(1000);
    const p = meter.update({ bytesDone: 300 * MB });
    expect(p.etaSeconds).toBe(Math.round((700 * MB) / (130 * MB)));
    // Between samples the rate holds but the ETA follows the bytes.
    advance(100);
    expect(meter.update({ bytesDone: 430 * MB }).etaSeconds).toBe(Math.round((570 * MB) / (130 * MB)));
  });

  it('has no ETA without a total or before any rate, and never a negative one', () => {
    const { meter, advance } = meterAt();
    advance(1000);
    expect(meter.update({ bytesDone: 5 * MB }).etaSeconds).toBeNull();
    const fresh = meterAt();
    expect(fresh.meter.update({ bytesDone: 1, bytesTotal: 10 }).etaSeconds).toBeNull();
    advance(1000);
    expect(meter.update({ bytesDone: 20 * MB, bytesTotal: 10 * MB }).etaSeconds).toBe(0);
  });

  it('never reports a negative rate when the byte count goes back (a restarted pass)', () => {
    const { meter, advance } = meterAt();
    meter.update({ bytesTotal: 100 * MB });
    advance(1000);
    meter.update({ bytesDone: 50 * MB });
    advance(1000);
    const p = meter.update({ bytesDone: 0 });
    expect(p.rate).toBeGreaterThanOrEqual(0);
    expect(p.rate).toBeCloseTo(0.7 * 50 * MB, 3);
  });

  it('merges partial updates and ignores fields given as undefined', () => {
    const { meter } = meterAt();
    meter.update({ phase: 'copying', bytesTotal: 10, itemsTotal: 1, message: 'disk.img' });
    const p = meter.update({ bytesDone: 4, message: undefined, phase: undefined });
    expect(p).toMatchObject({ phase: 'copying', bytesDone: 4, bytesTotal: 10, itemsTotal: 1, message: 'disk.img' });
    expect(meter.value).toBe(p);
  });
});
