/** Byte constants, events and errors of the JSON record scanner (json-scanner.ts). */

/** records-object: `{"Records":[...]}`; array: `[...]`; jsonl: one record per line; objects: records one after another. */
export type ScanFormat = 'records-object' | 'array' | 'jsonl' | 'objects';

export type ScanEvent =
  | { kind: 'element'; offset: number; bytes: Buffer }
  | { kind: 'oversize'; offset: number; length: number }
  | { kind: 'broken-line'; offset: number; length: number; why: string }
  | { kind: 'format'; format: ScanFormat }
  | { kind: 'top-key'; key: string; offset: number };

/** A structural error that makes the rest of the document unreadable; `offset` is a byte offset. */
export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const QUOTE = 0x22;
export const BSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACK = 0x5b;
export const RBRACK = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const NL = 0x0a;
export const MAX_INNER_DEPTH = 4096;

/** A container the scanner checks strictly: its closing byte and what it expects next. */
export interface Frame {
  close: number;
  state: number;
}

// Outer frame states.
export const KEY_OR_END = 0;
export const KEY = 1;
export const COLON_NEXT = 2;
export const VALUE = 3;
export const VALUE_OR_END = 4;
export const COMMA_OR_END = 5;

export function isWs(c: number): boolean {
  return c === 0x20 || c === NL || c === 0x0d || c === 0x09;
}

export function isDelimiter(c: number): boolean {
  return isWs(c) || c === COMMA || c === RBRACK || c === RBRACE;
}

export function show(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}


/** A property name from its bytes between the quotes, with escapes resolved when it has any. */
export function decodeKey(bytes: Buffer): string {
  const key = bytes.toString('utf8');
  if (!key.includes('\\')) return key;
  try {
    return JSON.parse(`"${key}"`) as string;
  } catch {
    return key; // left as written; the record's own JSON.parse reports it
  }
}
