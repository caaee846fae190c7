/**
 * Canonical form of custody events (docs/custody-chain.md is the spec).
 * JSON with object keys sorted by code point, no whitespace, UTF-8; only strings, integers,
 * booleans, null, arrays and objects. Floats are refused so every language formats numbers alike.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';

/** Returns the canonical JSON text of a value, refusing what the spec does not allow. */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$');
}

// Written by hand rather than through JSON.stringify of a rebuilt object: JavaScript orders
// integer-like keys ("9", "10") numerically whatever their insertion order.
function serialise(value: unknown, where: string): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'string') {
    // A lone surrogate cannot be stored as UTF-8 by SQLite nor re-serialised by other languages.
    if (!value.isWellFormed()) throw new AppError('INVALID_INPUT', `Custody detail ${where} is not valid Unicode`);
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new AppError('INVALID_INPUT', `Custody detail ${where} must be an integer (got ${value}); store other numbers as strings`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => serialise(item ?? null, `${where}[${i}]`)).join(',')}]`;
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new AppError('INVALID_INPUT', `Custody detail ${where} is not plain data`);
    const parts: string[] = [];
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      if (!key.isWellFormed()) throw new AppError('INVALID_INPUT', `Custody detail key at ${where} is not valid Unicode`);
      parts.push(`${JSON.stringify(key)}:${serialise(item, `${where}.${key}`)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new AppError('INVALID_INPUT', `Custody detail ${where} has unsupported type ${typeof value}`);
}

/** Orders strings by Unicode code point (not UTF-16 unit), as other languages' default sort does. */
export function compareCodePoints(a: string, b: string): number {
  const aa = Array.from(a);
  const bb = Array.from(b);
  for (let i = 0; i < Math.min(aa.length, bb.length); i++) {
    const d = aa[i]!.codePointAt(0)! - bb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return aa.length - bb.length;
}

/** The fields that are hashed, exactly as stored in custody_events. */
export interface HashedEventFields {
  seq: number;
  at: string;
  examiner: string;
  workstation: string;
  action: string;
  artifactId: string | null;
  /** Canonical JSON text of the details object, as stored. */
  details: string;
  prevHash: string;
}

/** The hash that links the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** The exact bytes that are hashed for one event. */
export function canonicalEventText(e: HashedEventFields): string {
  // Keys in code-point order; details is embedded as parsed JSON, not as a string.
  return canonicalJson({
    action: e.action,
    artifactId: e.artifactId,
    at: e.at,
    details: JSON.parse(e.details) as unknown,
    examiner: e.examiner,
    prevHash: e.prevHash,
    seq: e.seq,
    workstation: e.workstation,
  });
}

/** SHA-256 (lower-case hex) of the event's canonical UTF-8 text. */
export function eventHash(e: HashedEventFields): string {
  return createHash('sha256').update(canonicalEventText(e), 'utf8').digest('hex');
}
