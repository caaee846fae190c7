import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';

function sha256sum(file: string): string {
  return execFileSync('sha256sum', [file]).toString().split(' ')[0]!;
}

describe('case workflow through the contract', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('creates a case folder, adds evidence by copy and in place, verifies, notes and exports', async () => {
    const c = await h.call('cases.create', { number: 'IR-2026-001', title: 'Breach of prod account', client: 'Acme', timeZone: 'Europe/London' });
    expect(fs.existsSync(path.join(c.path, 'case.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(c.path, 'evidence')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(c.path, 'exports')).isDirectory()).toBe(true);

    const src = path.join(h.root, 'disk.img');
    fs.writeFileSync(src, Buffer.alloc(3 * 1024 * 1024 + 17, 7));
    const copied = await h.call('evidence.add', { caseId: c.id, sourcePath: src, mode: 'copy' });
    const job = await h.waitJob(c.id, copied.jobId);
    expect(job.state).toBe('succeeded');
    const a = await h.call('evidence.get', { caseId: c.id, artifactId: copied.artifactId });
    expect(a.state).toBe('complete');
    expect(a.hashes?.sha256).toBe(sha256sum(src));
    const stored = path.join(c.path, a.storedPath);
    expect(sha256sum(stored)).toBe(a.hashes?.sha256);
    expect(fs.statSync(stored).mode & 0o222).toBe(0);

    const inPlace = await h.call('evidence.add', { caseId: c.id, sourcePath: src, mode: 'in-place' });
    expect((await h.waitJob(c.id, inPlace.jobId)).state).toBe('succeeded');

    const v = await h.call('evidence.verify', { caseId: c.id });
    const vj = await h.waitJob(c.id, v.jobId);
    expect(vj.result).toMatchObject({ checked: 2, match: 2, mismatch: 0, missing: 0 });
    const artifacts = await h.call('evidence.list', { caseId: c.id });
    expect(artifacts.map((x) => x.lastVerification?.result)).toEqual(['match', 'match']);

    const note = await h.call('notes.create', { caseId: c.id, artifactId: a.id, title: 'First look', body: '# Disk\nLooks like **ext4**.' });
    const rev = await h.call('notes.revise', { caseId: c.id, noteId: note.id, baseRevision: 1, title: 'First look', body: 'Revised.' });
    expect(rev.revision).toBe(2);
    const conflict = await h.fail('notes.revise', { caseId: c.id, noteId: note.id, baseRevision: 1, title: 'x', body: 'y' });
    expect(conflict.code).toBe('CONFLICT');
    const history = await h.call('notes.history', { caseId: c.id, noteId: note.id });
    expect(history.map((r) => r.body)).toEqual(['Revised.', '# Disk\nLooks like **ext4**.']);

    const chain = await h.call('custody.verifyChain', { caseId: c.id });
    expect(chain).toMatchObject({ ok: true, firstBreak: null });
    const log = await h.call('custody.list', { caseId: c.id });
    const actions = log.events.map((e) => e.action);
    for (const action of ['case.created', 'job.started', 'artifact.added', 'job.finished', 'artifact.verified', 'note.written', 'chain.verified']) {
      expect(actions).toContain(action);
    }
    const perArtifact = await h.call('custody.list', { caseId: c.id, artifactId: a.id });
    expect(perArtifact.events.every((e) => e.artifactId === a.id)).toBe(true);

    for (const format of ['csv', 'json', 'pdf'] as const) {
      const r = await h.call('reports.exportCustody', { caseId: c.id, format });
      expect(sha256sum(r.absolutePath)).toBe(r.sha256);
    }
    const after = await h.call('custody.list', { caseId: c.id, limit: 1000 });
    expect(after.events.filter((e) => e.action === 'custody.exported')).toHaveLength(3);
  });

  it('reopens a case folder copied to another place and verifies it there', async () => {
    const c = await h.call('cases.create', { number: 'IR-2', title: 'Copy test' });
    const src = path.join(h.root, 'f.bin');
    fs.writeFileSync(src, 'evidence bytes');
    const r = await h.call('evidence.add', { caseId: c.id, sourcePath: src, mode: 'copy' });
    await h.waitJob(c.id, r.jobId);
    await h.call('cases.close', { caseId: c.id });
    const moved = path.join(h.root, 'elsewhere');
    fs.cpSync(c.path, moved, { recursive: true });
    const other = await startHarness();
    try {
      const opened = await other.call('cases.open', { path: moved });
      expect(opened.id).toBe(c.id);
      const v = await other.call('evidence.verify', { caseId: opened.id });
      expect((await other.waitJob(opened.id, v.jobId)).result).toMatchObject({ match: 1 });
      expect((await other.call('custody.verifyChain', { caseId: opened.id })).ok).toBe(true);
    } finally {
      await other.dispose();
    }
  });

  it('requires an examiner profile before writing custody', async () => {
    const bare = await startHarness({ profile: false });
    try {
      const e = await bare.fail('cases.create', { number: 'X', title: 'Y' });
      expect(e.code).toBe('NO_PROFILE');
    } finally {
      await bare.dispose();
    }
  });
});
