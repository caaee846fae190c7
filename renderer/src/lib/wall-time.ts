/** Wall-clock times typed in the case's zone, read as UTC: one time, and a filter form's From/To pair. Pure. */

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** Milliseconds the zone is ahead of UTC at instant t. */
function offsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * "2024-07-31 15:06[:24[.5]]" read as wall-clock time in the zone → UTC ISO string; null when it is
 * not such a time. A wall time skipped or repeated by a DST change resolves to the earlier offset's reading.
 */
export function wallTimeToUtc(value: string, timeZone: string): string | null {
  const m = WALL.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const guess = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, Number(ms.padEnd(3, '0')));
  const check = new Date(guess);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) return null;
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone);
  return new Date(t).toISOString();
}

/** A From/To pair read as UTC; `problems` names a field that could not be read, or a To not after From. */
export interface TimeRangeReading {
  range: { from?: string; to?: string };
  problems: { from?: string; to?: string };
}

/** Reads a filter form's From/To (each optional, To exclusive) typed as wall-clock time in the zone. */
export function readTimeRange(draft: { from: string; to: string }, timeZone: string): TimeRangeReading {
  const reading: TimeRangeReading = { range: {}, problems: {} };
  for (const key of ['from', 'to'] as const) {
    if (!draft[key].trim()) continue;
    const utc = wallTimeToUtc(draft[key], timeZone);
    if (utc) reading.range[key] = utc;
    else reading.problems[key] = 'Use YYYY-MM-DD HH:MM[:SS]';
  }
  if (reading.range.from && reading.range.to && reading.range.from >= reading.range.to) reading.problems.to = 'Must be after From';
  return reading;
}

/** The hint under a time field: its UTC reading, or nothing while it is empty or unreadable. */
export function utcHint(value: string, timeZone: string): string | undefined {
  const utc = value.trim() ? wallTimeToUtc(value, timeZone) : null;
  return utc ? `= ${utc.replace('.000Z', 'Z')} UTC` : undefined;
}
