/**
 * Pinning a timeline event into a note: the note revision carries a reference block naming the
 * event and the log file's artifact id and SHA-256, and custody records `timeline.pinned` with the same.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords } from '../support/logs-synthetic.js';

describe('timeline.pin', () => {
  let h: Harness;
  let caseId: string;
  let artifactId: string;
  let fileSha256: string;
  const records = syntheticRecords(300, 0, 11).map((r, i) => (i === 123 ? { ...r, eventID: 'pin-target-123', eventName: 'StopLogging' } : r));

  beforeAll(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR-PIN', title: 'Pin' })).id;
    const file = path.join(h.root, 'trail.json.gz');
    const bytes = gzipSync(JSON.stringify({ Records: records }));
    fs.writeFileSync(file, bytes);
    fileSha256 = createHash('sha256').update(bytes).digest('hex');
    const added = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
    await h.waitJob(caseId, added.jobId);
    artifactId = added.artifactId;
    const { jobId } = await h.call('logs.ingest', { caseId, artifactIds: [artifactId] });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('creates a note about the log file with the reference block, and records timeline.pinned', async () => {
    const event = await h.call('timeline.event', { caseId, eventId: 'pin-target-123' });
    const { note, custodySeq } = await h.call('timeline.pin', {
      caseId, eventId: 'pin-target-123', target: { kind: 'new', title: 'Trail stopped' }, comment: 'Attacker stops the trail.',
    });
    expect(note.title).toBe('Trail stopped');
    expect(note.revision).toBe(1);
    expect(note.artifactId).toBe(artifactId);
    expect(note.body.startsWith('Attacker stops the trail.')).toBe(true);
    expect(note.body).toContain('event id:      pin-target-123');
    expect(note.body).toContain(`event time:    ${event.eventTime} (UTC)`);
    expect(note.body).toContain(`event:         ${event.eventSource} / StopLogging`);
    expect(note.body).toContain(`artifact id:   ${artifactId}`);
    expect(note.body).toContain(`log sha256:    ${fileSha256}`);

    const custody = await h.call('custody.list', { caseId });
    const pinned = custody.events.filter((e) => e.action === 'timeline.pinned');
    expect(pinned).toHaveLength(1);
    expect(pinned[0]!.seq).toBe(custodySeq);
    expect(pinned[0]!.artifactId).toBe(artifactId);
    expect(pinned[0]!.details).toMatchObject({
      eventId: 'pin-target-123', sourceArtifactId: artifactId, sourceSha256: fileSha256, noteId: note.id, noteRevision: 1,
    });
    // The note revision's own custody event comes first, in the same transaction.
    const written = custody.events.find((e) => e.action === 'note.written' && e.details.noteId === note.id);
    expect(written!.seq).toBe(custodySeq - 1);
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('appends to an existing note as a new revision, keeping the old text', async () => {
    const base = await h.call('notes.create', { caseId, title: 'Findings', body: 'Initial observations.' });
    const other = records[7]!;
    const { note } = await h.call('timeline.pin', { caseId, eventId: other.eventID!, target: { kind: 'existing', noteId: base.id, baseRevision: 1 } });
    expect(note.id).toBe(base.id);
    expect(note.revision).toBe(2);
    expect(note.body.startsWith('Initial observations.\n\n**Pinned CloudTrail event**')).toBe(true);
    expect(note.body).toContain(`event id:      ${other.eventID}`);
    const history = await h.call('notes.history', { caseId, noteId: base.id });
    expect(history.map((r) => r.body)).toContain('Initial observations.');
  });

  it('refuses a stale base revision and an unknown event, recording nothing', async () => {
    const base = await h.call('notes.create', { caseId, title: 'Busy note', body: 'v1' });
    await h.call('notes.revise', { caseId, noteId: base.id, baseRevision: 1, title: 'Busy note', body: 'v2' });
    const before = (await h.call('custody.list', { caseId })).events.length;
    const stale = await h.fail('timeline.pin', { caseId, eventId: 'pin-target-123', target: { kind: 'existing', noteId: base.id, baseRevision: 1 } });
    expect(stale.code).toBe('CONFLICT');
    const missing = await h.fail('timeline.pin', { caseId, eventId: 'no-such-event', target: { kind: 'new', title: 'x' } });
    expect(missing.code).toBe('NOT_FOUND');
    expect((await h.call('custody.list', { caseId })).events.length).toBe(before);
    expect((await h.call('notes.history', { caseId, noteId: base.id })).length).toBe(2);
  });
});
