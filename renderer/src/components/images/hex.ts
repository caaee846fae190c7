/** Pure helpers for the image hex view and text preview. */

/** Decodes base64 from the contract into bytes. */
export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Hex dump lines: offset, 16 bytes in hex, printable ASCII. */
export function hexLines(bytes: Uint8Array, base: number): { offset: string; hex: string; ascii: string }[] {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push({ offset: (base + i).toString(16).padStart(8, '0'), hex, ascii });
  }
  return lines;
}

/** True when the bytes look like text: valid UTF-8 without NULs and few control characters. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13) control++;
  }
  if (control > bytes.length / 50) return false;
  try {
    // A page may cut a multi-byte character at its end; ignore the last 3 bytes for the check.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.max(0, bytes.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/** Unix mode as ls shows it, e.g. "-rw-r--r--". */
export function formatMode(mode: number | null, type: string): string {
  if (mode === null) return '—';
  const t = type === 'dir' ? 'd' : type === 'symlink' ? 'l' : type === 'file' ? '-' : '?';
  const bits = 'rwxrwxrwx';
  let s = t;
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}
