import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatBytesExact,
  formatEta,
  formatPercent,
  formatRate,
  formatTime,
  formatTimeWithZone,
  progressFraction,
  shortHash,
  summariseDetails,
  timeZoneChoices,
  zoneOffset,
} from '../../renderer/src/lib/format.js';
import { escapeHtml, markdownToHtml } from '../../renderer/src/lib/markdown.js';
import type { Progress } from '../../shared/types.js';

const progress = (p: Partial<Progress>): Progress => ({
  phase: 'hashing',
  bytesDone: 0,
  bytesTotal: null,
  itemsDone: 0,
  itemsTotal: null,
  rate: 0,
  etaSeconds: null,
  message: '',
  ...p,
});

describe('renderer formatting', () => {
  it('formats sizes in binary units and exact bytes with grouping', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200.0 MiB');
    expect(formatBytes(1.5 * 1024 ** 4)).toBe('1.5 TiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytesExact(209_715_200)).toBe('209,715,200 bytes');
    expect(formatBytesExact(1)).toBe('1 byte');
  });

  it('formats rate, ETA and percent, with a dash when unknown', () => {
    expect(formatRate(150 * 1024 * 1024)).toBe('150.0 MiB/s');
    expect(formatRate(0)).toBe('—');
    expect(formatEta(9.4)).toBe('9 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(3720)).toBe('1 h 02 min');
    expect(formatEta(null)).toBe('—');
    expect(formatPercent(0.999)).toBe('99%');
    expect(formatPercent(null)).toBe('—');
  });

  it('takes the fraction from bytes, else items, clamped', () => {
    expect(progressFraction(progress({ bytesDone: 50, bytesTotal: 200 }))).toBe(0.25);
    expect(progressFraction(progress({ itemsDone: 3, itemsTotal: 4 }))).toBe(0.75);
    expect(progressFraction(progress({ bytesDone: 300, bytesTotal: 200 }))).toBe(1);
    expect(progressFraction(progress({}))).toBeNull();
    expect(progressFraction(null)).toBeNull();
  });

  it('shows times in the case zone, with milliseconds, across DST', () => {
    expect(formatTime('2026-01-15T12:00:00.123Z', 'UTC')).toBe('2026-01-15 12:00:00.123');
    expect(formatTime('2026-01-15T12:00:00.123Z', 'Europe/Berlin')).toBe('2026-01-15 13:00:00.123');
    expect(formatTime('2026-07-15T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-07-16 01:30:00.000');
    expect(zoneOffset('2026-07-15T23:30:00.000Z', 'Europe/Berlin')).toBe('UTC+02:00');
    expect(zoneOffset('2026-01-15T12:00:00.000Z', 'America/New_York')).toBe('UTC-05:00');
    expect(formatTimeWithZone('2026-01-15T12:00:00.000Z', 'UTC')).toBe('2026-01-15 12:00:00.000 UTC');
    expect(formatTimeWithZone('2026-01-15T12:00:00.000Z', 'Asia/Kolkata')).toBe('2026-01-15 17:30:00.000 Asia/Kolkata (UTC+05:30)');
    // An unknown zone must not crash a screen: it falls back to UTC.
    expect(formatTime('2026-01-15T12:00:00.000Z', 'Mars/Olympus')).toBe('2026-01-15 12:00:00.000');
    expect(formatTime('not a time', 'UTC')).toBe('not a time');
  });

  it('shortens hashes and summarises custody details in one line', () => {
    const sha = 'a'.repeat(64);
    expect(shortHash(sha)).toBe('aaaaaaaaaaaa…');
    expect(shortHash('abc')).toBe('abc');
    expect(summariseDetails({ path: '/x', size: 5, sha256: sha, nested: { a: 1 }, none: null })).toBe(
      'path: /x; size: 5; sha256: aaaaaaaaaaaa…; nested: {…}',
    );
    expect(summariseDetails({ text: 'x'.repeat(300) }, 20)).toHaveLength(20);
  });

  it('offers UTC first among the zones', () => {
    const zones = timeZoneChoices();
    expect(zones[0]).toBe('UTC');
    expect(zones.filter((z) => z === 'UTC')).toHaveLength(1);
    expect(zones).toContain('Europe/Berlin');
  });
});

describe('renderer markdown', () => {
  it('renders markdown and shows raw HTML as literal text', () => {
    const html = markdownToHtml('## Findings\n\n**sealed** <img src=x onerror="alert(1)">\n\n<script>alert(2)</script>\n');
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('<strong>sealed</strong>');
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&lt;script&gt;');
  });

  it('escapes all five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
