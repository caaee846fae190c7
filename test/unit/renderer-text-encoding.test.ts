import { describe, expect, it } from 'vitest';
import { decodeText } from '../../renderer/src/components/images/text-encoding.js';

const bytes = (...parts: (number[] | Buffer)[]): Uint8Array => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));
const utf16be = (s: string): Buffer => {
  const le = Buffer.from(s, 'utf16le');
  return le.swap16();
};
const utf32 = (s: string, little: boolean): Buffer => {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (little ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)));
  return b;
};
const sample = 'Grüße, 日本語 😀\r\nline two\n';

describe('text preview encoding detection', () => {
  it('follows a BOM and says so', () => {
    expect(decodeText(bytes([0xef, 0xbb, 0xbf], Buffer.from(sample)))).toEqual({ text: sample, encoding: 'UTF-8', evidence: 'bom', label: 'UTF-8 (BOM)' });
    expect(decodeText(bytes([0xff, 0xfe], Buffer.from(sample, 'utf16le')))).toMatchObject({ text: sample, label: 'UTF-16LE (BOM)' });
    expect(decodeText(bytes([0xfe, 0xff], utf16be(sample)))).toMatchObject({ text: sample, label: 'UTF-16BE (BOM)' });
    expect(decodeText(bytes([0xff, 0xfe, 0, 0], utf32(sample, true)))).toMatchObject({ text: sample, label: 'UTF-32LE (BOM)' });
    expect(decodeText(bytes([0, 0, 0xfe, 0xff], utf32(sample, false)))).toMatchObject({ text: sample, label: 'UTF-32BE (BOM)' });
  });

  it('reads valid UTF-8 without a BOM, ignoring a character cut at either end of a page', () => {
    expect(decodeText(bytes(Buffer.from(sample)))).toMatchObject({ text: sample, encoding: 'UTF-8', evidence: 'valid', label: 'UTF-8' });
    const euro = Buffer.from('€'); // e2 82 ac
    // Cut at the end: the partial euro sign is left out.
    expect(decodeText(bytes(Buffer.from('price '), euro.subarray(0, 2)))).toMatchObject({ text: 'price ', encoding: 'UTF-8' });
    // A later page starting inside a character: its continuation bytes are left out.
    expect(decodeText(bytes(euro.subarray(1), Buffer.from(' 42')), false)).toMatchObject({ text: ' 42', encoding: 'UTF-8' });
    // The same bytes at the start of a file are not UTF-8.
    expect(decodeText(bytes(euro.subarray(1), Buffer.from(' 42')), true)?.encoding).toBe('Windows-1252');
  });

  it('recognises UTF-16 without a BOM by where the NUL bytes are', () => {
    const text = 'C:\\Windows\\System32\\drivers\\etc\\hosts\r\n';
    expect(decodeText(bytes(Buffer.from(text, 'utf16le')))).toMatchObject({ text, encoding: 'UTF-16LE', evidence: 'pattern', label: 'UTF-16LE (no BOM, by NUL pattern)' });
    expect(decodeText(bytes(utf16be(text)))).toMatchObject({ text, encoding: 'UTF-16BE', evidence: 'pattern' });
  });

  it('falls back to Windows-1252 for 8-bit text that is not UTF-8', () => {
    const latin = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x31, 0x30, 0x0a]); // "Café €10\n" in Windows-1252
    expect(decodeText(bytes(latin))).toEqual({ text: 'Café €10\n', encoding: 'Windows-1252', evidence: 'fallback', label: 'Windows-1252 (fallback)' });
  });

  it('refuses binary data and empty pages', () => {
    expect(decodeText(new Uint8Array(0))).toBeNull();
    expect(decodeText(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]))).toBeNull(); // ELF header
    const noise = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    expect(decodeText(noise)).toBeNull();
    // Little-endian 32-bit integers have UTF-16's NUL pattern, but decode to control characters.
    const ints = Buffer.alloc(64);
    for (let i = 0; i < 16; i++) ints.writeUInt32LE(i + 1, i * 4);
    expect(decodeText(bytes(ints))).toBeNull();
  });

  it('does not treat a BOM as one past the start of the file', () => {
    const page = bytes([0xff, 0xfe], Buffer.from('ab', 'utf16le'));
    expect(decodeText(page, false)?.evidence).not.toBe('bom');
  });
});
