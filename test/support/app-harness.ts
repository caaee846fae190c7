/** Test helpers: a real app on temporary folders, and envelope unwrapping. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type CasewardApp } from '../../main/app.js';
import type { Channel, InputOf, OutputOf } from '../../shared/contract.js';
import type { Job } from '../../shared/types.js';

export interface Harness {
  app: CasewardApp;
  root: string;
  userData: string;
  casesDir: string;
  call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>>;
  fail<C extends Channel>(channel: C, input: InputOf<C>): Promise<{ code: string; message: string }>;
  waitJob(caseId: string, jobId: string): Promise<Job>;
  dispose(): Promise<void>;
}

/** A temporary folder removed by dispose(), read-only files included. */
export function tempDir(prefix = 'caseward-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  // Evidence copies are read-only; make them writable so the temporary tree can go.
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    try {
      fs.chmodSync(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
    } catch {
      // Ignore vanished entries.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

export async function startHarness(opts: { profile?: boolean; root?: string } = {}): Promise<Harness> {
  const root = opts.root ?? tempDir();
  const userData = path.join(root, 'user-data');
  const casesDir = path.join(root, 'cases');
  const app = createApp({ userDataDir: userData, casesDir, door: 'cli' });
  const h: Harness = {
    app,
    root,
    userData,
    casesDir,
    async call(channel, input) {
      const env = await app.invoke(channel, input);
      if (!env.ok) throw new Error(`${channel} failed: ${env.error.code}: ${env.error.message}`);
      return env.value as never;
    },
    async fail(channel, input) {
      const env = await app.invoke(channel, input);
      if (env.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return env.error;
    },
    async waitJob(caseId, jobId) {
      const terminal = ['succeeded', 'failed', 'cancelled', 'interrupted', 'discarded'];
      for (;;) {
        const jobs = await h.call('jobs.list', { caseId });
        const job = jobs.find((j) => j.id === jobId);
        if (job && terminal.includes(job.state)) return job;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async dispose() {
      await app.close();
      if (!opts.root) removeTree(root);
    },
  };
  if (opts.profile !== false) await h.call('settings.setProfile', { name: 'Dana Examiner', organisation: 'Test IR Ltd', badgeId: 'EX-7' });
  return h;
}
