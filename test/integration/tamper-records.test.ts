/**
 * The rows the chain vouches for (artifacts, notes, the case record) and the evidence files
 * themselves are tampered with; the verifications must name what changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noteRevisionHash } from '../../main/core/notes/note-hash.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { buildSampleCase, reopenAndVerify, type CaseCheck, type SampleCase } from '../support/sample-case.js';
import { dropAppendOnly, haveSqlite3, sqlite3Ok, sqlText } from '../support/sqlite-cli.js';

describe('tampering with the records and files the chain vouches for', () => {
  let h: Harness;
  let s: SampleCase;
  beforeEach(async () => {
    h = await startHarness();
    s = await buildSampleCase(h);
  });
  afterEach(async () => {
    await h.dispose();
  });

  const copiedFile = () => path.join(s.folder, s.copied.storedPath);

  /** The outcome for one artifact, and its newest artifact.verified event in the custody log. */
  async function outcomeOf(r: CaseCheck, artifactId: string) {
    const outcome = r.evidence.outcomes.find((o) => o.artifactId === artifactId);
    const log = await h.call('custody.list', { caseId: r.caseId, artifactId, limit: 1000 });
    const verified = log.events.filter((e) => e.action === 'artifact.verified').at(-1);
    return { outcome, verified };
  }

  it.skipIf(!haveSqlite3)("an artifact's SHA-256 edited in its row is a problem of kind 'artifact' naming the field", async () => {
    sqlite3Ok(s.dbFile, `${dropAppendOnly('artifacts')} UPDATE artifacts SET sha256 = '${'ab'.repeat(32)}' WHERE id = ${sqlText(s.copied.id)};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems).toEqual([
      { kind: 'artifact', artifactId: s.copied.id, name: s.copied.name, reason: expect.stringContaining('SHA-256') },
    ]);
  });

  it.skipIf(!haveSqlite3)("an artifact's size edited in its row is named, and evidence verification disagrees too", async () => {
    sqlite3Ok(s.dbFile, `${dropAppendOnly('artifacts')} UPDATE artifacts SET size = size + 1 WHERE id = ${sqlText(s.inPlace.id)};`);
    const r = await reopenAndVerify(h, s);
    expect(r.chain.ok).toBe(false);
    expect(r.chain.problems).toContainEqual({ kind: 'artifact', artifactId: s.inPlace.id, name: s.inPlace.name, reason: expect.stringContaining('size') });
    expect((await outcomeOf(r, s.inPlace.id)).outcome?.result).toBe('mismatch');
  });

  it.skipIf(!haveSqlite3)('a note revision whose body was edited is named by its note', async () => {
    sqlite3Ok(s.dbFile, `${dropAppendOnly('note_revisions')}
      UPDATE note_revisions SET body = 'Nothing suspicious found.' WHERE note_id = ${sqlText(s.noteId)} AND revision = 2;`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems.some((p) => p.reason.includes(s.noteId))).toBe(true);
  });

  it.skipIf(!haveSqlite3)("a note revision edited together with its stored hash is still caught by the chain's record", async () => {
    const body = 'Nothing suspicious found.';
    sqlite3Ok(s.dbFile, `${dropAppendOnly('note_revisions')}
      UPDATE note_revisions SET body = ${sqlText(body)}, sha256 = '${noteRevisionHash('Triage', body)}'
      WHERE note_id = ${sqlText(s.noteId)} AND revision = 2;`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems.some((p) => p.reason.includes(s.noteId) && p.reason.includes('revision 2'))).toBe(true);
  });

  it.skipIf(!haveSqlite3)('an edited case record is named with the field that changed', async () => {
    sqlite3Ok(s.dbFile, `${dropAppendOnly('case_info')} UPDATE case_info SET client = 'Someone else';`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems.some((p) => p.reason.includes('client'))).toBe(true);
  });

  it('one changed byte in a copied evidence file is a mismatch naming the artifact, recorded in custody', async () => {
    const file = copiedFile();
    fs.chmodSync(file, 0o644);
    const fd = fs.openSync(file, 'r+');
    const at = 100_000;
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0x01;
    fs.writeSync(fd, b, 0, 1, at);
    fs.closeSync(fd);

    const r = await reopenAndVerify(h, s);
    expect(r.chain.ok).toBe(true);
    expect(r.evidence).toMatchObject({ checked: 2, match: 1, mismatch: 1, missing: 0 });
    const { outcome, verified } = await outcomeOf(r, s.copied.id);
    expect(outcome).toMatchObject({ result: 'mismatch', name: s.copied.name, expected: s.copied.hashes });
    expect(outcome?.actual?.sha256).not.toBe(s.copied.hashes?.sha256);
    expect(verified?.details.result).toBe('mismatch');
    expect((await h.call('evidence.get', { caseId: r.caseId, artifactId: s.copied.id })).lastVerification?.result).toBe('mismatch');
  });

  it("a deleted copied evidence file is 'missing'", async () => {
    fs.rmSync(copiedFile());
    const r = await reopenAndVerify(h, s);
    expect(r.evidence).toMatchObject({ match: 1, missing: 1 });
    const { outcome, verified } = await outcomeOf(r, s.copied.id);
    expect(outcome?.result).toBe('missing');
    expect(outcome?.message).toContain(copiedFile());
    expect(verified?.details.result).toBe('missing');
  });

  it("in-place evidence moved away is 'missing'", async () => {
    fs.renameSync(s.inPlaceFile, `${s.inPlaceFile}.moved`);
    const r = await reopenAndVerify(h, s);
    expect(r.evidence).toMatchObject({ match: 1, missing: 1 });
    const { outcome, verified } = await outcomeOf(r, s.inPlace.id);
    expect(outcome).toMatchObject({ result: 'missing', name: s.inPlace.name });
    expect(outcome?.message).toContain(s.inPlaceFile);
    expect(verified?.details.result).toBe('missing');
  });
});
