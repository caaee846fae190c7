/**
 * One process at a time works on a case: two processes would each think the other's running
 * jobs were interrupted. The lock file names its holder; a holder that died is detected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';

export const LOCK_FILE = 'case.lock';

interface LockInfo {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the case's lock or explains who holds it; returns the release function. */
export function lockCase(folder: string): () => void {
  const file = path.join(folder, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return () => {
        try {
          const held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (held.pid === mine.pid && held.host === mine.host) fs.rmSync(file, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let held: LockInfo | null;
      try {
        held = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        held = null;
      }
      const stale = !held || (held.host === mine.host && !alive(held.pid));
      if (!stale) {
        throw new AppError('CONFLICT', `This case is open in another Caseward process (pid ${held!.pid} on ${held!.host} since ${held!.since}). Close it there first. If that computer crashed, delete ${file}.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('CONFLICT', `Could not take the lock ${file}`);
}
