/**
 * Which files one piece of evidence is made of. A segmented E01 (.E01 .E02 …) or a split raw image
 * (.001 .002 …, .aa .ab …) is one artifact; the segments are found with the image readers' own
 * naming rules, so what is hashed is exactly what images.open will read.
 */
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { EVF_SIGNATURE } from '../images/containers/ewf-format.js';
import { findEwfSegments, segmentExtension } from '../images/containers/ewf-segments.js';
import { findSplitSegments, splitScheme } from '../images/containers/raw-reader.js';

/** The container family of a set; 'file' is a single file (no segments). */
export type EvidenceSetKind = 'file' | 'ewf' | 'split-raw';

export interface EvidenceSet {
  kind: EvidenceSetKind;
  /** Absolute paths in order; one entry for a single file. */
  files: string[];
}

// EnCase names at most E01…E99 then EAA…ZZZ; this bounds the scan for segments after a gap.
const EWF_MAX_SEGMENTS = 14_000;

/** Finds the set `file` starts; refuses a set with a gap or a file that is not the first segment. */
export async function detectEvidenceSet(file: string): Promise<EvidenceSet> {
  const ewf = /^(.*)\.([EeSs])(\d\d|[A-Za-z]{2})$/.exec(file);
  if (ewf && (await hasEwfSignature(file))) {
    const [, stem, letter, rest] = ewf as unknown as [string, string, string, string];
    if (rest !== '01') {
      const first = `${path.basename(stem)}.${segmentExtension(letter, 1)}`;
      throw new AppError('INVALID_INPUT', `${path.basename(file)} is not the first segment of an EWF image; add ${first} (its other segments are found next to it)`);
    }
    const files = await findEwfSegments(file);
    await refuseEwfGap(stem, letter, files.length);
    return files.length > 1 ? { kind: 'ewf', files } : { kind: 'file', files: [file] };
  }
  const first = await firstSplitSegmentOf(file);
  if (first) {
    throw new AppError('INVALID_INPUT', `${path.basename(file)} is a later segment of the split image ${path.basename(first)}; add ${path.basename(first)} (its other segments are found next to it)`);
  }
  const scheme = splitScheme(file);
  if (scheme) {
    // Same rule as openImage: numbered names always form a set; .aa only when an .ab exists.
    const files = await findSplitSegments(file);
    return files.length > 1 ? { kind: 'split-raw', files } : { kind: 'file', files: [file] };
  }
  return { kind: 'file', files: [file] };
}

async function hasEwfSignature(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const buf = Buffer.alloc(EVF_SIGNATURE.length);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return bytesRead === buf.length && buf.equals(EVF_SIGNATURE);
  } finally {
    await handle.close();
  }
}

/** findEwfSegments stops at the first absent name; a later segment that exists means one is missing. */
async function refuseEwfGap(stem: string, letter: string, found: number): Promise<void> {
  const names = new Set(await readdir(path.dirname(stem)));
  const base = path.basename(stem);
  for (let n = found + 2; n < EWF_MAX_SEGMENTS; n += 1) {
    const later = `${base}.${segmentExtension(letter, n)}`;
    if (names.has(later)) {
      const missing = `${base}.${segmentExtension(letter, found + 1)}`;
      throw new AppError('FILE_MISSING', `EWF image ${base}.${segmentExtension(letter, 1)}: segment ${missing} is missing but ${later} exists; put every segment in the same folder`);
    }
  }
}

/** For `img.002` or `img.ab`: the set's first segment when it sits in the same folder, else null. */
async function firstSplitSegmentOf(file: string): Promise<string | null> {
  const base = path.basename(file);
  const candidates: string[] = [];
  const num = /^(.*\.)(\d{2,})$/.exec(base);
  if (num) {
    const width = num[2]!.length;
    // A set may start at .000; then .001 is its second segment.
    candidates.push(num[1]! + '0'.repeat(width));
    if (Number(num[2]) > 1) candidates.push(num[1]! + '1'.padStart(width, '0'));
  } else {
    for (let w = 2; w <= Math.min(4, base.length - 1); w += 1) {
      if (/^[a-z]+$/.test(base.slice(-w))) candidates.push(base.slice(0, -w) + 'a'.repeat(w));
    }
  }
  const names = new Set(await readdir(path.dirname(file)).catch(() => [] as string[]));
  const first = candidates.find((c) => c !== base && names.has(c) && splitScheme(c) !== null);
  return first ? path.join(path.dirname(file), first) : null;
}
