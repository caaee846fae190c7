/** Files for adversarial tests: digests of whole files, sparse big files, coreutils as an oracle. */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** SHA-256 of a small file's bytes, to prove a refused operation left it unchanged. */
export function sha256OfFile(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The digest printed by a coreutils tool (sha256sum, sha1sum, md5sum): the independent oracle. */
export async function coreutilsDigest(tool: 'sha256sum' | 'sha1sum' | 'md5sum', file: string): Promise<string> {
  const { stdout } = await run(tool, ['--', file], { maxBuffer: 1 << 20 });
  return stdout.split(' ')[0]!;
}

/**
 * A big file that costs no disk: a hole of `size` bytes with a few distinct marks written into it,
 * so its hashes are not those of plain zeros and a copy that reorders or drops a block differs.
 */
export function makeSparseFile(file: string, size: number): void {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, size);
  const fd = fs.openSync(file, 'r+');
  try {
    for (const at of [0, Math.floor(size / 3), Math.floor(size / 2) + 12345, size - 4096]) {
      fs.writeSync(fd, Buffer.from(`caseward test mark at ${at}\n`.repeat(8)), 0, undefined, at);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Names of the entries in a folder, recursively, with sizes: a cheap "nothing changed here" fingerprint. */
export function folderListing(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => {
      const p = `${e.parentPath}/${e.name}`.slice(dir.length + 1);
      return e.isFile() ? `${p} ${fs.statSync(`${e.parentPath}/${e.name}`).size}` : `${p}/`;
    })
    .sort();
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 60_000, every = 20): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
