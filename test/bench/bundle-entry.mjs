// Bundles one TypeScript entry into a standalone ESM file with esbuild, so the bench can run it in a
// plain Node child process (no TypeScript loader, and the child's figures are its own).
import path from 'node:path';
import { build } from 'esbuild';

/** Bundles `entry` into `outDir/<name>.mjs` (`external` packages must resolve from outDir); returns that path. */
export async function bundleEntry(entry, outDir, name, external = []) {
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external,
    // Bundled CommonJS dependencies (the AWS SDK) call require(); ESM output has none by default.
    banner: { js: "import { createRequire as __cwRequire } from 'node:module'; const require = __cwRequire(import.meta.url);" },
  });
  return outfile;
}
