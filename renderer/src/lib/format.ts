/** Display formatting: sizes, rates, durations, hashes and times in a case's zone. Pure functions. */
import type { Progress } from '../../../shared/types.js';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const grouped = new Intl.NumberFormat('en-US');

/** Human size in binary units, e.g. "200.0 MiB"; exact bytes below 1 KiB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Exact size with digit grouping, e.g. "209,715,200 bytes". */
export function formatBytesExact(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  return `${grouped.format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** Throughput in MiB/s with one decimal. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (!bytesPerSecond || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${(bytesPerSecond / (1024 * 1024)).toFixed(1)} MiB/s`;
}

/** Remaining time, e.g. "1 h 02 min", "3 min 05 s", "12 s". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Fraction done (0..1) from bytes, else items; null when the total is unknown. */
export function progressFraction(progress: Progress | null | undefined): number | null {
  if (!progress) return null;
  if (progress.bytesTotal) return Math.min(1, Math.max(0, progress.bytesDone / progress.bytesTotal));
  if (progress.itemsTotal) return Math.min(1, Math.max(0, progress.itemsDone / progress.itemsTotal));
  return null;
}

/** Whole percent for display, e.g. "42%"; "—" when unknown. */
export function formatPercent(fraction: number | null): string {
  return fraction === null ? '—' : `${Math.floor(fraction * 100)}%`;
}

/** First n hex digits of a hash followed by an ellipsis. */
export function shortHash(hash: string | null | undefined, n = 12): string {
  if (!hash) return '—';
  return hash.length <= n ? hash : `${hash.slice(0, n)}…`;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** "2024-05-01 14:03:07.123" in the given IANA zone (falls back to UTC on an unknown zone). */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: safeZone(timeZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}.${get('fractionalSecond')}`;
}

/** The zone's offset at that instant, e.g. "UTC+02:00" or "UTC". */
export function zoneOffset(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone: safeZone(timeZone), timeZoneName: 'longOffset' })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name.replace(/^GMT/, 'UTC');
}

/** Time with its zone for places where no column header names the zone. */
export function formatTimeWithZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const offset = zoneOffset(iso, timeZone);
  const zone = safeZone(timeZone);
  return zone === 'UTC' ? `${formatTime(iso, zone)} UTC` : `${formatTime(iso, zone)} ${zone} (${offset})`;
}

/** One line summarising custody details: scalar values first, long values trimmed. */
export function summariseDetails(details: Record<string, unknown>, max = 140): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      parts.push(`${key}: {…}`);
      continue;
    }
    const text = String(value);
    parts.push(`${key}: ${/^[0-9a-f]{32,}$/i.test(text) ? shortHash(text) : text}`);
  }
  const line = parts.join('; ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** IANA zones for the case time-zone picker, UTC first. */
export function timeZoneChoices(): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  return ['UTC', ...zones.filter((z) => z !== 'UTC')];
}
