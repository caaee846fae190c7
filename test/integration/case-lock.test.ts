/**
 * One process at a time works on a case. A live holder (this process, or another one) is refused
 * with CONFLICT naming it; a holder that died is taken over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';
import { sha256OfFile } from '../support/evidence-files.js';

describe('the case lock', () => {
  let a: Harness;
  let b: Harness;
  let folder: string;
  let caseId: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    a = await startHarness();
    b = await startHarness();
    const c = await a.call('cases.create', { number: 'IR-LOCK', title: 'Lock' });
    folder = c.path;
    caseId = c.id;
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await a.dispose();
    await b.dispose();
  });

  const lockFile = () => path.join(folder, 'case.lock');
  const readLock = () => JSON.parse(fs.readFileSync(lockFile(), 'utf8')) as { pid: number; host: string; since: string };

  function writeLock(pid: number, host = os.hostname()): void {
    fs.writeFileSync(lockFile(), JSON.stringify({ pid, host, since: '2026-01-01T00:00:00.000Z' }) + '\n');
  }

  /** A process that is alive until the test ends it. */
  function liveProcess(): ChildProcess {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    return child;
  }

  it('a second workstation instance opening the same folder gets CONFLICT naming the holder', async () => {
    expect(readLock().pid).toBe(process.pid);
    const e = await b.fail('cases.open', { path: folder });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain(`pid ${process.pid}`);
    expect(readLock().pid).toBe(process.pid);
    // Once the first closes it, the second may open it.
    await a.call('cases.close', { caseId });
    expect(fs.existsSync(lockFile())).toBe(false);
    expect((await b.call('cases.open', { path: folder })).id).toBe(caseId);
  });

  it('a lock held by another live process is CONFLICT naming its pid, and the case is not written', async () => {
    await a.call('cases.close', { caseId });
    const holder = liveProcess();
    writeLock(holder.pid!);
    const digest = sha256OfFile(path.join(folder, 'case.sqlite'));
    const e = await b.fail('cases.open', { path: folder });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain(`pid ${holder.pid}`);
    expect(readLock().pid).toBe(holder.pid);
    expect(sha256OfFile(path.join(folder, 'case.sqlite'))).toBe(digest);

    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    // The holder died without releasing: its lock is stale and is taken over.
    expect((await b.call('cases.open', { path: folder })).id).toBe(caseId);
    expect(readLock().pid).toBe(process.pid);
  });

  it('a lock left by a dead process is taken over', async () => {
    await a.call('cases.close', { caseId });
    const gone = spawn('true', { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    writeLock(gone.pid!);
    const opened = await b.call('cases.open', { path: folder });
    expect(opened.id).toBe(caseId);
    expect(readLock()).toMatchObject({ pid: process.pid, host: os.hostname() });
    await b.call('cases.close', { caseId });
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('a lock from another computer is never assumed stale', async () => {
    await a.call('cases.close', { caseId });
    writeLock(999_999, 'forensic-ws-02');
    const e = await b.fail('cases.open', { path: folder });
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('forensic-ws-02');
    expect(readLock().host).toBe('forensic-ws-02');
  });

  it('closing does not remove a lock that someone else took meanwhile', async () => {
    const other = liveProcess();
    writeLock(other.pid!);
    await a.call('cases.close', { caseId });
    expect(readLock().pid).toBe(other.pid);
  });
});
