// Bundles main/core/hashing into one standalone ESM file (plus hash-worker.cjs next to it), so plain
// Node can run the engine without a TypeScript loader: used by scripts/bench.mjs and by tests that
// must run it in a child process (another user, process-exit checks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const hashingDir = path.join(projectRoot, 'main', 'core', 'hashing');

/** Builds the engine into `outDir` (a new temp folder by default); returns the bundle's path. */
export async function bundleHashing(outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-hashing-'))) {
  const modulePath = path.join(outDir, 'hashing.mjs');
  await build({
    entryPoints: [path.join(hashingDir, 'index.ts')],
    outfile: modulePath,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(hashingDir, 'hash-worker.cjs'), path.join(outDir, 'hash-worker.cjs'));
  return { dir: outDir, modulePath };
}
