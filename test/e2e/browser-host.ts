/**
 * Helpers for the browser e2e: keep the build current, start the real host as a child process
 * (as `npm run serve` would) on fresh temporary folders, and stop it cleanly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..', '..');
const serveBundle = path.join(root, 'dist', 'main', 'serve.cjs');
const rendererIndex = path.join(root, 'dist', 'renderer', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/** Rebuilds the host bundle and the renderer when sources are newer than the build (a stale dist tests old code). */
export function ensureBuilt(): void {
  const sources = Math.max(...['main', 'shared', 'renderer'].map((d) => newestMtime(path.join(root, d))), mtime(path.join(root, 'vite.config.ts')));
  const steps: Array<[string, string[]]> = [];
  if (mtime(serveBundle) < sources) steps.push([process.execPath, ['scripts/build-main.mjs', 'serve']]);
  if (mtime(rendererIndex) < sources) steps.push([process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']]);
  for (const [cmd, args] of steps) {
    const result = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build failed: ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  }
}

export interface HostProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `node dist/main/serve.cjs` and resolves with the URL it prints; `env` replaces the inherited environment (e.g. AWS profile files). */
export function startHostProcess(userData: string, casesDir: string, env?: NodeJS.ProcessEnv): Promise<HostProcess> {
  const child = spawn(process.execPath, [serveBundle, '--port', '0', '--user-data', userData, '--cases-dir', casesDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env ? { env } : {}),
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host printed no URL within 20 s:\n${out}`)), 20_000);
    const check = (): void => {
      const match = /Caseward is ready: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        url: match[1]!,
        child,
        output: () => out,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before printing its URL:\n${out}`)));
  });
}
