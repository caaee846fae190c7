// Builds real XFS images with xfsprogs (mkfs.xfs -p protofile), without mounting, for fs-xfs tests.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ImageReader } from '../../main/core/images/containers/image-reader.js';

/** One node of a tree to put into an image. */
export type ProtoNode =
  | { kind: 'file'; name: string; mode: number; uid: number; gid: number; content: Buffer | { path: string } }
  | { kind: 'dir'; name: string; mode: number; uid: number; gid: number; children: ProtoNode[] }
  | { kind: 'symlink'; name: string; uid: number; gid: number; target: string }
  | { kind: 'fifo'; name: string; mode: number; uid: number; gid: number };

/** Why xfsprogs cannot be used here, or null when mkfs.xfs and xfs_db are present. */
export function xfsToolsMissing(): string | null {
  for (const tool of ['mkfs.xfs', 'xfs_db']) {
    if (spawnSync(tool, ['-V']).status !== 0) return `${tool} not installed (apt-get install xfsprogs)`;
  }
  return null;
}

function modeString(kind: string, mode: number): string {
  const t = kind === 'dir' ? 'd' : kind === 'symlink' ? 'l' : kind === 'fifo' ? 'p' : '-';
  const u = mode & 0o4000 ? 'u' : '-';
  const g = mode & 0o2000 ? 'g' : '-';
  return `${t}${u}${g}${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Writes the source files under `srcDir` and returns protofile text describing `root`. */
export function writeProto(root: Extract<ProtoNode, { kind: 'dir' }>, srcDir: string): string {
  fs.mkdirSync(srcDir, { recursive: true });
  let counter = 0;
  const lines: string[] = ['caseward-test', '0 0', `${modeString('dir', root.mode)} ${root.uid} ${root.gid}`];
  const emit = (nodes: ProtoNode[], depth: number): void => {
    const pad = ' '.repeat(depth);
    for (const n of nodes) {
      if (/[\s:$]/.test(n.name)) throw new Error(`protofile names cannot hold whitespace, ':' or '$': ${n.name}`);
      if (n.kind === 'file') {
        let src: string;
        if (Buffer.isBuffer(n.content)) {
          src = path.join(srcDir, `f${counter++}`);
          fs.writeFileSync(src, n.content);
        } else src = n.content.path;
        lines.push(`${pad}${n.name} ${modeString('file', n.mode)} ${n.uid} ${n.gid} ${src}`);
      } else if (n.kind === 'fifo') {
        lines.push(`${pad}${n.name} ${modeString('fifo', n.mode)} ${n.uid} ${n.gid}`);
      } else if (n.kind === 'symlink') {
        lines.push(`${pad}${n.name} ${modeString('symlink', 0o777)} ${n.uid} ${n.gid} ${n.target}`);
      } else {
        lines.push(`${pad}${n.name} ${modeString('dir', n.mode)} ${n.uid} ${n.gid}`);
        emit(n.children, depth + 1);
        lines.push(`${pad}$`);
      }
    }
  };
  emit(root.children, 1);
  lines.push('$', '');
  return lines.join('\n');
}

/** Creates a sparse image file of `size` and runs mkfs.xfs -p on it with extra options. */
export function buildXfsImage(
  workDir: string, root: Extract<ProtoNode, { kind: 'dir' }>, opts: { size: string; mkfs?: string[]; name?: string },
): string {
  const img = path.join(workDir, opts.name ?? 'xfs.img');
  const proto = path.join(workDir, `${opts.name ?? 'xfs.img'}.proto`);
  fs.writeFileSync(proto, writeProto(root, path.join(workDir, 'src')));
  fs.rmSync(img, { force: true });
  execFileSync('truncate', ['-s', opts.size, img]);
  execFileSync('mkfs.xfs', ['-q', '-f', ...(opts.mkfs ?? []), '-p', proto, img], { stdio: ['ignore', 'pipe', 'pipe'] });
  return img;
}

/** Runs xfs_db read-only (or expert mode with `write`) with the given -c commands and returns stdout. */
export function xfsDb(img: string, cmds: string[], write = false): string {
  const args = [write ? '-x' : '-r', ...cmds.flatMap((c) => ['-c', c]), img];
  // TZ=UTC: xfs_db prints times with ctime(3), in the local zone unless told otherwise.
  return execFileSync('xfs_db', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TZ: 'UTC' } });
}

/** Inode numbers by name in one directory, as xfs_db's `ls` reports them. */
export function xfsDbLs(img: string, dirPath: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of xfsDb(img, [`ls ${dirPath}`]).split('\n')) {
    // "12         131                regular        0x8dfb32ff   5 holey (good)"
    const m = /^\s*\d+\s+(\d+)\s+\S+\s+0x[0-9a-f]+\s+\d+\s+(.*) \((good|bad|corrupt)\)\s*$/.exec(line);
    if (m && m[2] !== '.' && m[2] !== '..') out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** A minimal read-only ImageReader over a file, so these tests do not depend on the container layer. */
export function fileReader(file: string): ImageReader {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  return {
    size,
    description: `test image ${path.basename(file)}`,
    async read(offset: number, length: number): Promise<Buffer> {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return buf.subarray(0, got);
    },
    async close(): Promise<void> {
      fs.closeSync(fd);
    },
  };
}

/** Why the kernel cannot loop-mount an XFS image made with `mkfsArgs` here (not root, no loop, no v4 support), or null. */
export function loopMountMissing(workDir: string, mkfsArgs: string[] = []): string | null {
  if (xfsToolsMissing()) return xfsToolsMissing();
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'loop mounts need root on Linux';
  const img = path.join(workDir, 'probe.img');
  const mnt = path.join(workDir, 'probe.mnt');
  try {
    fs.mkdirSync(mnt, { recursive: true });
    execFileSync('truncate', ['-s', '300m', img]);
    execFileSync('mkfs.xfs', ['-q', '-f', ...mkfsArgs, img], { stdio: 'pipe' });
    execFileSync('mount', ['-o', 'loop', img, mnt], { stdio: 'pipe' });
    execFileSync('umount', [mnt], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `cannot loop-mount XFS here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  } finally {
    fs.rmSync(img, { force: true });
    fs.rmSync(mnt, { recursive: true, force: true });
  }
}
