import type { FsEntry } from '../fs-types.js';

/** A directory entry as parsed, before its type is settled from the inode when the dirent does not carry one. */
export interface RawDirent extends FsEntry { typeKnown: boolean }

const NAME_TYPES: Record<number, FsEntry['type']> = { 1: 'file', 2: 'dir', 7: 'symlink', 3: 'other', 4: 'other', 5: 'other', 6: 'other' };

const dirSize = (nameLen: number): number => (8 + nameLen + 3) & ~3;

/**
 * Parses one directory block (or an inline-data region) the way The Sleuth Kit does: live entries follow
 * rec_len, and the slack after each live entry's name is scanned word by word for older records that
 * deletion left behind; those, and records with inode 0, are reported as deleted.
 */
export function parseDirBlock(buf: Buffer, maxInode: number, hasFiletype: boolean): RawDirent[] {
  const out: RawDirent[] = [];
  const len = buf.length;
  let dellen = 0; // bytes still to scan inside the slack of the last live entry
  let minreclen: number;
  for (let idx = 0; idx + 12 <= len; idx += minreclen) {
    const inode = buf.readUInt32LE(idx);
    const reclen = buf.readUInt16LE(idx + 4);
    const namelen = hasFiletype ? buf[idx + 6]! : buf.readUInt16LE(idx + 6);
    minreclen = dirSize(namelen);
    const plausible = inode <= maxInode && namelen > 0 && namelen <= 255 && reclen >= minreclen
      && reclen % 4 === 0 && idx + reclen <= len && idx + 8 + namelen <= len;
    // A record found in slack must also end inside that slack.
    if (!plausible || (dellen > 0 && dellen < minreclen)) {
      minreclen = 4;
      if (dellen > 0) dellen -= 4;
      continue;
    }
    const deleted = dellen > 0 || inode === 0;
    if (dellen > 0) dellen -= minreclen;
    else if (inode !== 0) dellen = reclen > minreclen ? reclen - minreclen : 0;
    // Names end at a NUL, as in TSK (C strings): matters only for junk records recovered from slack.
    let raw = buf.subarray(idx + 8, idx + 8 + namelen);
    const nul = raw.indexOf(0);
    if (nul >= 0) raw = raw.subarray(0, nul);
    const name = raw.toString('utf8');
    if (name === '.' || name === '..') continue; // fls never shows them, live or not
    const ft = hasFiletype ? buf[idx + 7]! : 0;
    const type = NAME_TYPES[ft];
    out.push({ name, inode, type: type ?? 'other', deleted, typeKnown: type !== undefined });
  }
  return out;
}
