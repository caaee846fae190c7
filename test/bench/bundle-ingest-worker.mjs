// Bundles the CloudTrail ingest's parse worker (main/core/logs/ingest/parse-worker.ts) into one CJS
// file, as the app's build does, so plain Node can start it as a worker thread: used by the bench
// and by the tests that run the ingest with its worker.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes `outDir/ingest-parse-worker.cjs`; returns its path. */
export async function bundleIngestWorker(outDir) {
  const outfile = path.join(outDir, 'ingest-parse-worker.cjs');
  await build({
    entryPoints: [path.join(projectRoot, 'main', 'core', 'logs', 'ingest', 'parse-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
