#!/usr/bin/env node
// Bundles everything that runs in Node or Electron's main/preload into dist/main/*.cjs.
// CJS because Electron's sandboxed preload cannot load ESM and the packaged app starts faster from one file.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Usage: build-main.mjs [--outdir DIR] [entry ...]   entries by name (electron, preload, serve, cli); default all.
const args = process.argv.slice(2);
const outdirAt = args.indexOf('--outdir');
const outdir = outdirAt >= 0 ? path.resolve(args.splice(outdirAt, 2)[1] ?? '') : path.join(root, 'dist', 'main');
const only = new Set(args);

// better-sqlite3 loads a native .node file; pdfkit reads its .afm font files from its package folder.
const nodeExternals = ['better-sqlite3', 'pdfkit'];

// `import.meta` is empty in CJS output; give the source a real file URL for the bundle itself.
const importMetaBanner = "const import_meta_url = require('url').pathToFileURL(__filename).href;";

/** Fails the build when a door other than Electron pulls in 'electron' (design: only main/electron imports it). */
const forbidElectron = {
  name: 'forbid-electron',
  setup(b) {
    b.onResolve({ filter: /^electron(\/.*)?$/ }, (args) => ({
      errors: [{ text: `'electron' may only be imported under main/electron/ (imported by ${args.importer})` }],
    }));
  },
};

const entries = [
  { out: 'electron.cjs', src: 'main/electron/main.ts', external: ['electron', ...nodeExternals], banner: true },
  // A sandboxed preload can require only 'electron': everything else (zod, the contract) is bundled in.
  { out: 'preload.cjs', src: 'main/electron/preload.ts', external: ['electron'], banner: false },
  { out: 'serve.cjs', src: 'main/host/serve.ts', external: nodeExternals, banner: true, plugins: [forbidElectron] },
  { out: 'cli.cjs', src: 'main/cli/index.ts', external: nodeExternals, banner: true, plugins: [forbidElectron] },
  // CloudTrail parsing runs on its own thread during ingest (main/core/logs/ingest/parse-feed.ts looks for it beside the bundle).
  { out: 'ingest-parse-worker.cjs', src: 'main/core/logs/ingest/parse-worker.ts', external: [], banner: false, plugins: [forbidElectron] },
];

const started = Date.now();
mkdirSync(outdir, { recursive: true });

const unknown = [...only].filter((name) => !entries.some((e) => e.out === `${name}.cjs`));
if (unknown.length > 0) {
  console.error(`build-main: unknown entry ${unknown.join(', ')} (known: electron, preload, serve, cli, ingest-parse-worker)`);
  process.exit(2);
}

const present = [];
const skipped = [];
for (const entry of entries.filter((e) => only.size === 0 || only.has(e.out.replace(/\.cjs$/, '')))) {
  if (existsSync(path.join(root, entry.src))) present.push(entry);
  else skipped.push(entry);
}
for (const entry of skipped) {
  console.warn(`build-main: skipping ${entry.out}: ${entry.src} does not exist yet`);
}

// allSettled: one broken entry still leaves the others built, and esbuild prints each error with file and line.
const results = await Promise.allSettled(
  present.map((entry) =>
    build({
      absWorkingDir: root,
      entryPoints: [path.join(root, entry.src)],
      outfile: path.join(outdir, entry.out),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      external: entry.external,
      plugins: entry.plugins ?? [],
      logLevel: 'warning',
      legalComments: 'none',
      ...(entry.banner
        ? { banner: { js: importMetaBanner }, define: { 'import.meta.url': 'import_meta_url' } }
        : {}),
    }),
  ),
);
const failed = present.filter((_, i) => results[i]?.status === 'rejected').map((e) => e.out);

// The hashing module starts its worker from __dirname in CJS bundles, so the worker sits next to them.
const worker = path.join(root, 'main', 'core', 'hashing', 'hash-worker.cjs');
const copied = [];
if (existsSync(worker)) {
  copyFileSync(worker, path.join(outdir, 'hash-worker.cjs'));
  copied.push('hash-worker.cjs');
}

const built = [...present.map((e) => e.out).filter((out) => !failed.includes(out)), ...copied].join(', ');
const where = outdir.startsWith(root + path.sep) ? path.relative(root, outdir) : outdir;
if (failed.length > 0) {
  console.error(`build-main: FAILED ${failed.join(', ')}; built ${where}/{${built}}`);
  process.exit(1);
}
console.log(`build-main: ${where}/{${built}} in ${Date.now() - started} ms`);
