import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../../shared/errors.js';

/** The extension of segment `n` (1-based): E01…E99, then EAA…EZZ, FAA… as EnCase names them. */
export function segmentExtension(first: string, n: number): string {
  const lower = first === first.toLowerCase();
  let ext: string;
  if (n <= 99) ext = first + String(n).padStart(2, '0');
  else {
    const i = n - 100;
    const a = String.fromCharCode(first.toUpperCase().charCodeAt(0) + Math.floor(i / 676));
    ext = a + String.fromCharCode(65 + (Math.floor(i / 26) % 26)) + String.fromCharCode(65 + (i % 26));
  }
  return lower ? ext.toLowerCase() : ext.toUpperCase();
}

/** Finds the segment files of an EWF image given any name ending in .E01 (or .e01/.s01), in order. */
export async function findEwfSegments(first: string): Promise<string[]> {
  const m = /^(.*)\.([EeSs])01$/.exec(first);
  if (!m) return [first];
  const stem = m[1]!;
  const letter = m[2]!;
  const dir = path.dirname(first);
  const names = new Set(await readdir(dir));
  const out: string[] = [];
  for (let n = 1; n < 14_000; n += 1) {
    const name = `${path.basename(stem)}.${segmentExtension(letter, n)}`;
    if (!names.has(name)) break;
    out.push(path.join(dir, name));
  }
  if (out.length === 0) throw new AppError('FILE_MISSING', `${first} does not exist`);
  return out;
}
