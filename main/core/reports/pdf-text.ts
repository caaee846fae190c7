/** Text shaping for the PDF custody form: what the built-in fonts can print, and how values are condensed. */

// pdfkit's standard 14 fonts (Helvetica, Courier) use WinAnsiEncoding: Latin-1 plus these extra
// code points (pdfkit's WIN_ANSI_MAP). Anything else would be drawn as an unrelated byte or a
// blank .notdef glyph, i.e. silently wrong text in a court document, so it becomes '?' instead.
// The full text is always in the CSV and JSON exports, which are UTF-8.
const WIN_ANSI_EXTRA = new Set([
  0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a,
  0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

function printable(cp: number): boolean {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp);
}

/**
 * Makes text safe for Helvetica/Courier: NFC first (so e + combining accent becomes é), then every
 * code point outside WinAnsi becomes one '?'. Newlines survive only when `multiline` is set.
 */
export function toWinAnsi(text: string, multiline = false): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a) out += multiline ? '\n' : ' ';
    else if (cp === 0x09) out += ' ';
    else out += printable(cp) ? ch : '?';
  }
  return out;
}

/** Shortens text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`;
}

/** "2024-05-01T12:34:56.789Z" as "2024-05-01 12:34:56.789Z": a space lets the cell wrap between date and time. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '\u2014';
  return iso.replace('T', ' ');
}

/** A byte count exactly, with a human size alongside for the reader. */
export function formatBytes(size: number | null): string {
  if (size === null) return '\u2014';
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = size;
  let unit = '';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return unit ? `${size} (${v.toFixed(2)} ${unit})` : String(size);
}

const LONG_HEX = /^[0-9a-f]{17,}$/i;

function shortValue(value: unknown): string {
  if (typeof value === 'string') return LONG_HEX.test(value) ? `${value.slice(0, 12)}\u2026` : truncate(value, 48);
  if (value === null || typeof value !== 'object') return String(value);
  return truncate(JSON.stringify(value), 48);
}

function flatten(prefix: string, value: unknown, out: string[]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value).sort()) {
      flatten(prefix ? `${prefix}.${key}` : key, (value as Record<string, unknown>)[key], out);
    }
    return;
  }
  out.push(`${prefix}=${shortValue(value)}`);
}

/**
 * A one-cell summary of an event's details for the printed table: nested keys flattened to
 * dotted paths, long hex values cut to 12 characters, the whole capped at `max` characters.
 * The PDF says that full details are in the CSV/JSON.
 */
export function condenseDetails(details: Record<string, unknown>, max = 140): string {
  const parts: string[] = [];
  flatten('', details, parts);
  return truncate(parts.join('; '), max);
}
