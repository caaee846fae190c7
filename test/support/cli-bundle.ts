/**
 * The CLI door as a separate process (dist/main/cli.cjs), for tests that must kill Caseward
 * mid-work: rebuilt when missing or older than the sources it bundles.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'main', 'cli.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && /\.(ts|cjs|json)$/.test(e.name)) newest = Math.max(newest, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/main/cli.cjs (scripts/build-main.mjs cli) unless it is newer than main/ and shared/. */
export function ensureCliBundle(): void {
  const sources = Math.max(newestSource(path.join(PROJECT_ROOT, 'main')), newestSource(path.join(PROJECT_ROOT, 'shared')));
  const worker = path.join(path.dirname(CLI_BUNDLE), 'hash-worker.cjs');
  if (fs.existsSync(CLI_BUNDLE) && fs.existsSync(worker) && fs.statSync(CLI_BUNDLE).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-main.mjs'), 'cli'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}

/** A workstation for the CLI: its user-data and cases folders. */
export interface CliWorkstation {
  userData: string;
  casesDir: string;
}

function withWorkstation(ws: CliWorkstation, args: string[]): string[] {
  return [CLI_BUNDLE, ...args, '--user-data', ws.userData, '--cases-dir', ws.casesDir];
}

/** Runs one CLI command to the end; rejects with its stderr if it exits non-zero. */
export async function runCli(ws: CliWorkstation, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, withWorkstation(ws, args), { cwd: PROJECT_ROOT, timeout: 120_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`caseward ${args.join(' ')} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

/** Starts a CLI command in the background (to be killed by the test). */
export function spawnCli(ws: CliWorkstation, args: string[]): ChildProcess {
  return spawn(process.execPath, withWorkstation(ws, args), { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Resolves with the signal (or exit code) once the child is gone. */
export function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}
