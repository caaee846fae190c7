import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/events.js';
import { startHarness, type Harness } from '../support/app-harness.js';

describe('jobs through the contract', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  async function bigFile(mib: number): Promise<string> {
    const file = path.join(h.root, `big-${mib}.bin`);
    const fd = fs.openSync(file, 'w');
    const block = Buffer.alloc(1024 * 1024, 0xab);
    for (let i = 0; i < mib; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    return file;
  }

  it('streams throttled progress and lets the examiner cancel a copy, leaving no partial copy', async () => {
    const c = await h.call('cases.create', { number: 'J-1', title: 'Jobs' });
    const src = await bigFile(768);
    const events: AppEvent[] = [];
    const off = h.app.onEvent((e) => events.push(e));
    const { jobId, artifactId } = await h.call('evidence.add', { caseId: c.id, sourcePath: src, mode: 'copy' });
    // Cancel once progress has been reported.
    while (!events.some((e) => e.kind === 'job.progress' && e.jobId === jobId && e.progress.bytesDone > 0)) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await h.call('jobs.cancel', { caseId: c.id, jobId });
    const job = await h.waitJob(c.id, jobId);
    off();
    expect(job.state).toBe('cancelled');
    const a = await h.call('evidence.get', { caseId: c.id, artifactId });
    expect(a.state).toBe('discarded');
    expect(a.hashes).toBeNull();
    expect(fs.existsSync(path.join(c.path, a.storedPath))).toBe(false);
    expect(fs.statSync(src).size).toBe(768 * 1024 * 1024);

    const progress = events.filter((e): e is Extract<AppEvent, { kind: 'job.progress' }> => e.kind === 'job.progress');
    for (const p of progress) expect(p.progress.bytesTotal).toBe(768 * 1024 * 1024);
    const log = await h.call('custody.list', { caseId: c.id });
    expect(log.events.map((e) => e.action)).toEqual(['case.created', 'job.started', 'job.cancelled']);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
  });

  it('runs jobs one after another and reports a failed one without losing the others', async () => {
    const c = await h.call('cases.create', { number: 'J-2', title: 'Queue' });
    const a = path.join(h.root, 'a.txt');
    const b = path.join(h.root, 'b.txt');
    fs.writeFileSync(a, 'A');
    fs.writeFileSync(b, 'B');
    const first = await h.call('evidence.add', { caseId: c.id, sourcePath: a, mode: 'in-place' });
    const second = await h.call('evidence.add', { caseId: c.id, sourcePath: b, mode: 'in-place' });
    fs.rmSync(b); // vanishes before its job runs
    expect((await h.waitJob(c.id, first.jobId)).state).toBe('succeeded');
    const failed = await h.waitJob(c.id, second.jobId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain(b);
    expect((await h.call('evidence.get', { caseId: c.id, artifactId: second.artifactId })).state).toBe('failed');
    const list = await h.call('evidence.list', { caseId: c.id });
    expect(list.filter((x) => x.state === 'complete').map((x) => x.name)).toEqual(['a.txt']);
    const started = (await h.call('custody.list', { caseId: c.id })).events.filter((e) => e.action === 'job.started');
    expect(started.map((e) => e.details.jobId)).toEqual([first.jobId, second.jobId]);
  });

  it('refuses to resume or discard a job that is not interrupted', async () => {
    const c = await h.call('cases.create', { number: 'J-3', title: 'States' });
    const f = path.join(h.root, 'x.txt');
    fs.writeFileSync(f, 'x');
    const { jobId } = await h.call('evidence.add', { caseId: c.id, sourcePath: f, mode: 'copy' });
    await h.waitJob(c.id, jobId);
    expect((await h.fail('jobs.resume', { caseId: c.id, jobId })).code).toBe('JOB_STATE');
    expect((await h.fail('jobs.discard', { caseId: c.id, jobId })).code).toBe('JOB_STATE');
  });
});
