import { describe, it, expect } from 'vitest';
import { condenseDetails, formatBytes, formatUtc, toWinAnsi, truncate } from '../../main/core/reports/pdf-text.js';

describe('toWinAnsi', () => {
  it('keeps what Helvetica can print and turns every other code point into one ?', () => {
    expect(toWinAnsi('plain ASCII ~')).toBe('plain ASCII ~');
    expect(toWinAnsi('Zoë Ærø ß £ © ±')).toBe('Zoë Ærø ß £ © ±');
    expect(toWinAnsi('“quotes” – — … € ™ Œ š')).toBe('“quotes” – — … € ™ Œ š');
    expect(toWinAnsi('事件 🔥 Ω ж')).toBe('?? ? ? ?');
    // e + combining acute is composed first, so it prints as é rather than e?.
    expect(toWinAnsi('e\u0301')).toBe('é');
    expect(toWinAnsi('\u0000\u0007\u200b\u202e')).toBe('????');
  });

  it('turns tabs into spaces and newlines into spaces unless multiline', () => {
    expect(toWinAnsi('a\tb\r\nc\rd\ne')).toBe('a b c d e');
    expect(toWinAnsi('a\r\nb\rc\nd', true)).toBe('a\nb\nc\nd');
  });
});

describe('condenseDetails', () => {
  it('flattens nested keys in order, shortens hex and long strings, caps the total', () => {
    const sha = 'ab'.repeat(32);
    expect(condenseDetails({ z: 1, a: { sha256: sha, ok: true }, list: [1, 2] })).toBe(
      `a.ok=true; a.sha256=${sha.slice(0, 12)}\u2026; list=[1,2]; z=1`,
    );
    expect(condenseDetails({})).toBe('');
    expect(condenseDetails({ s: 'x'.repeat(100) })).toBe(`s=${'x'.repeat(47)}\u2026`);
    const long = condenseDetails(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])));
    expect(long).toHaveLength(140);
    expect(long.endsWith('\u2026')).toBe(true);
  });
});

describe('formatting', () => {
  it('formats UTC times, sizes and truncation', () => {
    expect(formatUtc('2024-05-01T09:00:00.000Z')).toBe('2024-05-01 09:00:00.000Z');
    expect(formatUtc(null)).toBe('\u2014');
    expect(formatBytes(512)).toBe('512');
    expect(formatBytes(1_073_741_824)).toBe('1073741824 (1.00 GiB)');
    expect(formatBytes(null)).toBe('\u2014');
    expect(truncate('abcdef', 4)).toBe('abc\u2026');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
