import { AppError } from '../../../../shared/errors.js';
import type { BlockDevice } from './device.js';

/** A contiguous piece of a file: `length` logical blocks from `logical` stored at `physical`. */
export interface Run { logical: number; physical: number; length: number; uninit: boolean }

const EXTENT_MAGIC = 0xf30a;
const MAX_DEPTH = 5;
const MAX_INIT_LEN = 32768;

function bad(ino: number, where: string, why: string): AppError {
  return new AppError('UNREADABLE', `inode ${ino}: corrupt extent tree (${where}): ${why}`);
}

/** Walks an extent tree from the 60-byte root in i_block and returns its leaves as runs, in logical order. */
export async function extentRuns(dev: BlockDevice, ino: number, root: Buffer): Promise<Run[]> {
  const runs: Run[] = [];
  await walkNode(dev, ino, root, 'root in i_block', -1, runs);
  runs.sort((a, b) => a.logical - b.logical);
  return runs;
}

async function walkNode(dev: BlockDevice, ino: number, node: Buffer, where: string, expectDepth: number, out: Run[]): Promise<void> {
  if (node.length < 12 || node.readUInt16LE(0) !== EXTENT_MAGIC) {
    throw bad(ino, where, `header magic 0x${node.length >= 2 ? node.readUInt16LE(0).toString(16) : '?'} is not 0xf30a`);
  }
  const entries = node.readUInt16LE(2);
  const max = node.readUInt16LE(4);
  const depth = node.readUInt16LE(6);
  if (entries > max || 12 + max * 12 > node.length) throw bad(ino, where, `${entries} entries, room for ${max}`);
  if (depth > MAX_DEPTH || (expectDepth >= 0 && depth !== expectDepth)) throw bad(ino, where, `depth ${depth} is invalid`);
  for (let i = 0; i < entries; i++) {
    const e = 12 + i * 12;
    if (depth === 0) {
      let length = node.readUInt16LE(e + 4);
      const uninit = length > MAX_INIT_LEN;
      if (uninit) length -= MAX_INIT_LEN;
      const physical = node.readUInt16LE(e + 6) * 2 ** 32 + node.readUInt32LE(e + 8);
      if (length > 0) out.push({ logical: node.readUInt32LE(e), physical, length, uninit });
    } else {
      const child = node.readUInt32LE(e + 4) + node.readUInt16LE(e + 8) * 2 ** 32;
      const buf = await dev.block(child, `inode ${ino}: extent index block`);
      await walkNode(dev, ino, buf, `block ${child}`, depth - 1, out);
    }
  }
}

/** Walks an ext2/3 block map (12 direct, then single, double and triple indirect) for `nBlocks` logical blocks. */
export async function blockMapRuns(dev: BlockDevice, ino: number, iblock: Buffer, nBlocks: number): Promise<Run[]> {
  const runs: Run[] = [];
  const perBlock = dev.blockSize / 4;
  const add = (logical: number, physical: number): void => {
    if (physical === 0 || logical >= nBlocks) return; // a zero pointer is a hole
    const last = runs[runs.length - 1];
    if (last && last.logical + last.length === logical && last.physical + last.length === physical) last.length++;
    else runs.push({ logical, physical, length: 1, uninit: false });
  };
  for (let i = 0; i < 12; i++) add(i, iblock.readUInt32LE(i * 4));
  let logical = 12;
  for (let level = 1; level <= 3 && logical < nBlocks; level++) {
    const ptr = iblock.readUInt32LE((11 + level) * 4);
    const span = perBlock ** level;
    if (ptr !== 0) await indirect(dev, ino, ptr, level, logical, nBlocks, add);
    logical += span;
  }
  return runs;
}

async function indirect(
  dev: BlockDevice, ino: number, block: number, level: number, first: number, nBlocks: number,
  add: (logical: number, physical: number) => void,
): Promise<void> {
  const buf = await dev.block(block, `inode ${ino}: indirect block (level ${level})`);
  const perBlock = dev.blockSize / 4;
  const span = perBlock ** (level - 1);
  for (let i = 0; i < perBlock; i++) {
    const logical = first + i * span;
    if (logical >= nBlocks) break;
    const ptr = buf.readUInt32LE(i * 4);
    if (ptr === 0) continue;
    if (level === 1) add(logical, ptr);
    else await indirect(dev, ino, ptr, level - 1, logical, nBlocks, add);
  }
}

/** Index of the run containing logical block `lb`, or of the first run after it (runs are sorted). */
export function findRun(runs: Run[], lb: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (r.logical + r.length <= lb) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
