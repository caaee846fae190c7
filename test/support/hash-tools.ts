/** Helpers shared by the hashing tests: coreutils as the reference digests, and expected AppErrors. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { shutdownHashWorkers } from '../../main/core/hashing/index.js';
import { AppError } from '../../shared/errors.js';
import { coreutilsDigest } from './evidence-files.js';

/** The coreutils tools whose output the hashing code must equal. */
export const HASH_TOOLS = ['md5sum', 'sha1sum', 'sha256sum'] as const;

/** Whether `tool` is installed in /usr/bin or /bin. */
export const onPath = (tool: string): boolean => ['/usr/bin', '/bin'].some((d) => fs.existsSync(path.join(d, tool)));

/** The hash tools that are not installed; warns once so a skipped comparison says why. */
export function missingHashTools(): string[] {
  const missing = HASH_TOOLS.filter((tool) => !onPath(tool));
  if (missing.length) console.warn(`skipped: comparison with ${missing.join(', ')} (not installed)`);
  return missing;
}

/** The reference digests, from coreutils run as child processes. */
export async function toolHashes(file: string): Promise<{ md5: string; sha1: string; sha256: string }> {
  const [md5, sha1, sha256] = await Promise.all(HASH_TOOLS.map((tool) => coreutilsDigest(tool, file)));
  return { md5: md5!, sha1: sha1!, sha256: sha256! };
}

/** Runs `fn`, expecting an AppError with `code`; returns it for further checks. */
export async function expectAppError(fn: () => Promise<unknown>, code: string): Promise<AppError> {
  const err = await fn().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/**
 * A temporary folder for one test file, made before its tests and removed after them with the hash
 * workers stopped. rm with force also removes the read-only copies (the folder is ours).
 */
export function useHashTempDir(prefix: string): { dir: string } {
  const tmp = { dir: '' };
  beforeAll(() => {
    tmp.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    fs.rmSync(tmp.dir, { recursive: true, force: true });
    await shutdownHashWorkers();
  });
  return tmp;
}
