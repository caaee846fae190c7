/**
 * Text preview decoding for files inside an image: which encoding a page of bytes is in, and its
 * text. Pure (TextDecoder only), so it runs the same in the browser, Electron and unit tests.
 */

/** The encodings the preview can name. */
export type TextEncodingName = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'UTF-32LE' | 'UTF-32BE' | 'Windows-1252';

/** A decoded page: the text, the encoding used, and how it was chosen. */
export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** bom: a byte order mark said so; valid: the bytes are valid in it; pattern: NUL bytes placed as in UTF-16; fallback: nothing else fitted. */
  evidence: 'bom' | 'valid' | 'pattern' | 'fallback';
  /** What the UI shows, e.g. "UTF-16LE (BOM)". */
  label: string;
}

const BOMS: { bytes: number[]; encoding: TextEncodingName }[] = [
  // UTF-32LE's BOM starts with UTF-16LE's, so it is tested first.
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32LE' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32BE' },
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'UTF-8' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16BE' },
];

const LABEL_SUFFIX: Record<DecodedText['evidence'], string> = {
  bom: ' (BOM)',
  valid: '',
  pattern: ' (no BOM, by NUL pattern)',
  fallback: ' (fallback)',
};

/** True for control characters that do not occur in ordinary text (tab, LF, FF and CR do); C1 controls included. */
function isOddControl(code: number): boolean {
  return (code < 0x20 && code !== 9 && code !== 10 && code !== 12 && code !== 13) || (code >= 0x7f && code < 0xa0);
}

/** Text with at most one odd control character in fifty, and no NUL, reads as text. */
function readsAsText(text: string): boolean {
  if (text.length === 0) return true;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (isOddControl(c)) odd++;
  }
  return odd <= text.length / 50;
}

/** Bytes that open a multi-byte UTF-8 sequence need this many bytes in all (0 for a continuation byte). */
function utf8Length(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * The part of a page that can be judged as UTF-8: a page cut out of a file may start inside a character
 * (up to 3 continuation bytes) and end inside one; those partial characters are left out, not failed on.
 */
function utf8Span(bytes: Uint8Array, atStart: boolean): Uint8Array {
  let start = 0;
  if (!atStart) while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= start; back++) {
    const need = utf8Length(bytes[end - back]!);
    if (need === 0) continue;
    if (need > back) end -= back;
    break;
  }
  return bytes.subarray(start, end);
}

/** Windows-1252's 0x80–0x9F (the rest is Latin-1); unassigned bytes keep their C1 code, as WHATWG maps them. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

// Done by hand: Node's TextDecoder('windows-1252') decodes as Latin-1, browsers do not, and the preview must agree everywhere.
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : b);
  return out;
}

function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    out += cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
  }
  return out;
}

function decodeAs(encoding: TextEncodingName, bytes: Uint8Array): string {
  switch (encoding) {
    case 'UTF-32LE':
      return decodeUtf32(bytes, true);
    case 'UTF-32BE':
      return decodeUtf32(bytes, false);
    case 'UTF-8':
      return new TextDecoder('utf-8').decode(bytes);
    case 'UTF-16LE':
      return new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length & ~1));
    case 'UTF-16BE':
      return new TextDecoder('utf-16be').decode(bytes.subarray(0, bytes.length & ~1));
    case 'Windows-1252':
      return decodeWindows1252(bytes);
  }
}

function result(text: string, encoding: TextEncodingName, evidence: DecodedText['evidence']): DecodedText {
  return { text, encoding, evidence, label: `${encoding}${LABEL_SUFFIX[evidence]}` };
}

/** UTF-16 without a BOM: text in Latin scripts has NUL as the high byte of most code units. */
function utf16ByPattern(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const units = Math.floor(bytes.length / 2);
  if (units < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  if (oddZero >= units * 0.3 && evenZero <= units * 0.05) return 'UTF-16LE';
  if (evenZero >= units * 0.3 && oddZero <= units * 0.05) return 'UTF-16BE';
  return null;
}

/**
 * Decodes a page of a file for the text preview, or returns null when it does not read as text.
 * Order: a BOM (only at the start of the file), valid UTF-8, UTF-16 by its NUL pattern, then
 * Windows-1252 (a superset of Latin-1's printable range) when the bytes hold no NUL.
 */
export function decodeText(bytes: Uint8Array, atStart = true): DecodedText | null {
  if (bytes.length === 0) return null;
  if (atStart) {
    for (const bom of BOMS) {
      if (bom.bytes.length <= bytes.length && bom.bytes.every((b, i) => bytes[i] === b)) {
        const text = decodeAs(bom.encoding, bom.encoding === 'UTF-8' ? utf8Span(bytes.subarray(3), true) : bytes.subarray(bom.bytes.length));
        return readsAsText(text) ? result(text, bom.encoding, 'bom') : null;
      }
    }
  }
  const span = utf8Span(bytes, atStart);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(span);
    if (readsAsText(text)) return result(text, 'UTF-8', 'valid');
  } catch {
    // Not UTF-8: try the others.
  }
  const utf16 = utf16ByPattern(bytes);
  if (utf16) {
    const text = decodeAs(utf16, bytes);
    if (readsAsText(text)) return result(text, utf16, 'pattern');
  }
  const text = decodeAs('Windows-1252', bytes);
  return readsAsText(text) ? result(text, 'Windows-1252', 'fallback') : null;
}
