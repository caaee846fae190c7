/**
 * An attacker edits a closed case's custody log with the sqlite3 shell. The triggers stop a casual
 * edit; a deliberate one (triggers dropped first) must be named by custody.verifyChain.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../main/core/custody/canonical.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { PROJECT_ROOT } from '../support/cli-bundle.js';
import { sha256OfFile } from '../support/evidence-files.js';
import { buildSampleCase, readEvents, reopenAndVerify, seqOf, type SampleCase } from '../support/sample-case.js';
import { dropAppendOnly, haveSqlite3, sqlite3, sqlite3Ok, sqlText } from '../support/sqlite-cli.js';

describe.skipIf(!haveSqlite3)('tampering with the custody log of a closed case', () => {
  let h: Harness;
  let s: SampleCase;
  beforeEach(async () => {
    h = await startHarness();
    s = await buildSampleCase(h);
  });
  afterEach(async () => {
    await h.dispose();
  });

  const lastSeq = () => s.events[s.events.length - 1]!.seq;

  it('an untampered case verifies: chain ok and every evidence file matches', async () => {
    const r = await reopenAndVerify(h, s);
    expect(r.chain).toMatchObject({ ok: true, firstBreak: null, problems: [] });
    expect(r.evidence).toMatchObject({ checked: 2, match: 2, mismatch: 0, missing: 0, unreadable: 0 });
  });

  it('the triggers refuse UPDATE and DELETE while they are in place, leaving the file as it was', () => {
    const before = sha256OfFile(s.dbFile);
    const attempts = [
      [`UPDATE custody_events SET examiner = 'Mallory' WHERE seq = 2;`, /custody_events rows are append-only/],
      [`DELETE FROM custody_events WHERE seq = ${lastSeq()};`, /custody_events rows are append-only/],
      [`UPDATE artifacts SET sha256 = '${'0'.repeat(64)}' WHERE id = ${sqlText(s.copied.id)};`, /immutable once complete/],
      [`DELETE FROM artifacts WHERE id = ${sqlText(s.inPlace.id)};`, /never deleted/],
      [`UPDATE note_revisions SET body = 'forged' WHERE note_id = ${sqlText(s.noteId)};`, /note_revisions rows are append-only/],
      [`DELETE FROM notes WHERE id = ${sqlText(s.noteId)};`, /notes rows are append-only/],
      [`UPDATE case_info SET title = 'Nothing happened';`, /case_info rows are append-only/],
    ] as const;
    for (const [sql, refusal] of attempts) {
      const r = sqlite3(s.dbFile, sql);
      expect(r.status, sql).not.toBe(0);
      expect(r.stderr, sql).toMatch(refusal);
    }
    expect(sha256OfFile(s.dbFile)).toBe(before);
    expect(readEvents(s.dbFile)).toEqual(s.events);
  });

  it("an edited event's details are named by seq as altered", async () => {
    const k = seqOf(s, 'job.started', s.inPlace.id);
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')}
      UPDATE custody_events SET details = json_set(details, '$.title', 'Hash in place: harmless.txt') WHERE seq = ${k};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.firstBreak?.seq).toBe(k);
    expect(chain.firstBreak?.reason).toMatch(/altered/);
    expect(chain.problems.filter((p) => p.kind === 'event').map((p) => (p.kind === 'event' ? p.seq : -1))).toEqual([k]);
  });

  it("an edited event's examiner is named by seq as altered", async () => {
    const k = seqOf(s, 'artifact.added', s.copied.id);
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} UPDATE custody_events SET examiner = 'Someone Else (Other Org)' WHERE seq = ${k};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.firstBreak).toMatchObject({ seq: k, reason: expect.stringMatching(/altered/) });
  });

  it('a deleted middle event is reported as a gap naming its seq', async () => {
    const k = seqOf(s, 'note.written');
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} DELETE FROM custody_events WHERE seq = ${k};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect([k, k + 1]).toContain(chain.firstBreak?.seq);
    expect(chain.firstBreak?.reason).toMatch(/missing/);
    expect(chain.firstBreak?.reason).toContain(String(k));
  });

  // The chain alone cannot show a cut tail: what is left still links up. Only a head hash kept
  // elsewhere can: here the workstation's remembered head (same user-data folder). A fresh
  // workstation cannot detect a cut tail without an exported head hash (custody form, CSV/JSON).
  it('cutting the last events off is detected through the head this workstation remembers', async () => {
    const n = lastSeq();
    // chain.verified and case.closed: events no other row refers to, so only the head can tell.
    expect(s.events.slice(-2).map((e) => e.action)).toEqual(['chain.verified', 'case.closed']);
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} DELETE FROM custody_events WHERE seq > ${n - 2};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems).toContainEqual(expect.objectContaining({ kind: 'event', seq: n, reason: expect.stringMatching(/removed|differs/) }));
  });

  it('cutting off only the last event (case.closed) is detected too', async () => {
    const n = lastSeq();
    expect(s.events[n - 1]!.action).toBe('case.closed');
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} DELETE FROM custody_events WHERE seq = ${n};`);
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems).toContainEqual(expect.objectContaining({ kind: 'event', seq: n }));
  });

  it('a cut tail stays detected after the examiner opens and closes the case without verifying', async () => {
    const n = lastSeq();
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} DELETE FROM custody_events WHERE seq > ${n - 2};`);
    const opened = await h.call('cases.open', { path: s.folder });
    await h.call('cases.close', { caseId: opened.id });
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems).toContainEqual(expect.objectContaining({ kind: 'event', seq: n }));
  });

  it('the independent bash verifier (docs/verify-custody-chain.sh) names an edited event and a cut tail', () => {
    const n = lastSeq();
    const head = s.events[n - 1]!.hash;
    expect(verifyScript(s.folder, head)).toMatchObject({ status: 0 });
    const k = seqOf(s, 'note.written');
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} UPDATE custody_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = ${k};`);
    expect(verifyScript(s.folder)).toMatchObject({ status: 1, stdout: expect.stringContaining(`BROKEN at event ${k}`) });
    sqlite3Ok(s.dbFile, `UPDATE custody_events SET at = ${sqlText(s.events[k - 1]!.at)} WHERE seq = ${k}; DELETE FROM custody_events WHERE seq = ${n};`);
    // Without a head kept elsewhere the shorter chain is intact; with the exported head it is not.
    expect(verifyScript(s.folder)).toMatchObject({ status: 0 });
    expect(verifyScript(s.folder, head)).toMatchObject({ status: 1, stdout: expect.stringContaining('BROKEN') });
  });

  it('a forged event with the whole chain re-hashed after it is caught by the remembered head', async () => {
    const k = seqOf(s, 'artifact.added', s.inPlace.id);
    // The attacker follows the published canonical form and rewrites every hash from k on.
    const updates: string[] = [];
    let prev = k === 1 ? GENESIS_HASH : s.events[k - 2]!.hash;
    for (const e of s.events.filter((x) => x.seq >= k)) {
      const details = e.seq === k ? JSON.stringify({ ...e.details, sourcePath: '/mnt/usb/innocent.txt' }) : JSON.stringify(e.details);
      const hash = eventHash({ ...e, details: canonical(details), prevHash: prev });
      updates.push(`UPDATE custody_events SET details = ${sqlText(canonical(details))}, prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${e.seq};`);
      prev = hash;
    }
    sqlite3Ok(s.dbFile, `${dropAppendOnly('custody_events')} BEGIN; ${updates.join('\n')} COMMIT;`);

    // On a workstation that never saw the case, the forgery is internally consistent.
    const fresh = await startHarness();
    try {
      expect((await reopenAndVerify(fresh, s)).chain.ok).toBe(true);
      await fresh.call('cases.close', { caseId: s.caseId });
    } finally {
      await fresh.dispose();
    }
    const { chain } = await reopenAndVerify(h, s);
    expect(chain.ok).toBe(false);
    expect(chain.problems).toContainEqual(expect.objectContaining({ kind: 'event', seq: lastSeq(), reason: expect.stringMatching(/differs/) }));
  });
});

/** Runs the spec's bash verifier on a case folder, optionally against a head hash kept elsewhere. */
function verifyScript(folder: string, head?: string): { status: number | null; stdout: string } {
  const r = spawnSync('bash', [path.join(PROJECT_ROOT, 'docs', 'verify-custody-chain.sh'), folder, ...(head ? [head] : [])], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

/** Canonical text of a details object whose keys are already sorted (JSON.parse keeps their order). */
function canonical(json: string): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k2, x]) => [k2, sortKeys(x)])) : v;
  return JSON.stringify(sortKeys(JSON.parse(json)));
}
