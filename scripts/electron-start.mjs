#!/usr/bin/env node
// `npm start`: runs the built app in the development Electron binary.
// The better-sqlite3 in node_modules is compiled for Node's ABI and cannot load into Electron, and
// rebuilding it in place would break the CLI, the browser host and the tests. So an Electron-ABI copy
// lives in .electron-native/ and its path reaches the DB code through CASEWARD_SQLITE_BINDING.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

/**
 * Where `require('electron')` would point, and whether the binary is there. Read from path.txt rather than
 * required, because Electron's index.js starts a download from GitHub when the binary is missing.
 */
function locateElectron() {
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(electronDir, 'path.txt');
  const platformExe =
    process.platform === 'win32'
      ? 'electron.exe'
      : process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : 'electron';
  const exe = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExe;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
  const binary = path.join(dist, exe);
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  return { binary, exists: existsSync(binary), version };
}

function fail(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  return result.status === 0;
}

/** Returns the path of a better_sqlite3.node built for this Electron, building it once if needed. */
function ensureElectronSqlite(electronVersion) {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteVersion = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  const tag = `better-sqlite3-${sqliteVersion}-electron-${electronVersion}-${process.platform}-${process.arch}`;
  const dir = path.join(root, '.electron-native', tag);
  const binding = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  const stamp = path.join(dir, 'caseward-built.json');
  if (existsSync(binding) && existsSync(stamp)) return binding;

  console.log(
    `Caseward: preparing better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} in .electron-native/ ` +
      '(first start only; this needs network access to download a prebuilt binary or the Electron headers).',
  );
  rmSync(dir, { recursive: true, force: true });
  // Copy without build/: whatever is there was compiled for Node.
  cpSync(source, dir, { recursive: true, filter: (src) => src !== path.join(source, 'build') });

  const prebuildInstall = createRequire(path.join(source, 'package.json')).resolve('prebuild-install/bin.js');
  const arch = process.arch;
  const fetched = run(
    process.execPath,
    [prebuildInstall, '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', process.platform],
    dir,
  );
  if (!fetched || !existsSync(binding)) {
    console.log('Caseward: no prebuilt binary; compiling against the Electron headers with node-gyp.');
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
    // The recipe of Electron's "Native Node Modules" guide; --devdir keeps the headers out of ~/.cache.
    const compiled = run(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        `--target=${electronVersion}`,
        `--arch=${arch}`,
        '--dist-url=https://electronjs.org/headers',
        `--devdir=${path.join(root, '.electron-native', 'gyp')}`,
      ],
      dir,
    );
    if (!compiled || !existsSync(binding)) {
      fail([
        `Caseward: could not build better-sqlite3 for Electron ${electronVersion}.`,
        'Both the prebuilt download (GitHub) and the compile (Electron headers from electronjs.org, plus a C++',
        'toolchain and Python) need to work once. Check the network and the messages above, then run `npm start` again.',
        'Meanwhile `npm run serve` runs Caseward in a browser with the Node build of better-sqlite3.',
      ]);
    }
  }
  writeFileSync(stamp, `${JSON.stringify({ electronVersion, sqliteVersion, arch, builtAt: new Date().toISOString() })}\n`);
  return binding;
}

const electron = locateElectron();
if (!electron.exists) {
  fail([
    `Caseward: the Electron ${electron.version} binary is not installed (looked for ${electron.binary}).`,
    '',
    'The npm package "electron" does not contain the binary: Electron fetches it from GitHub separately, and',
    'on this machine that never happened (no network to github.com, or ELECTRON_SKIP_BINARY_DOWNLOAD was set).',
    'This script does not start the download itself, so an offline machine gets this message instead of a hang.',
    'To install it (needs access to github.com; Electron\'s installer needs Node >= 22.12):',
    '  npx install-electron',
    'To use Caseward without Electron, run the browser host instead:',
    '  npm run serve',
  ]);
}

const entry = path.join(root, 'dist', 'main', 'electron.cjs');
if (!existsSync(entry)) fail(['Caseward: dist/main/electron.cjs is missing; run `npm run build` first.']);

const binding = ensureElectronSqlite(electron.version);
const child = spawn(electron.binary, [root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CASEWARD_SQLITE_BINDING: binding },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`Caseward: Electron exited with signal ${signal}`);
    process.exit(1);
  }
  process.exit(code ?? 0);
});
