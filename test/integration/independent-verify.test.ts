/** The documented shell verifier (bash + sqlite3 + sha256sum) agrees with Caseward on real cases. */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';

const script = path.resolve(__dirname, '../../docs/verify-custody-chain.sh');
const hasSqlite = spawnSync('sqlite3', ['-version']).status === 0;
if (!hasSqlite) console.warn('skipped: the sqlite3 CLI is not installed (apt-get install sqlite3)');

function runVerifier(folder: string, head?: string) {
  const r = spawnSync('bash', [script, folder, ...(head ? [head] : [])], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe.skipIf(!hasSqlite)('independent chain verification script', () => {
  let h: Harness;
  let folder: string;
  let head: string;
  beforeAll(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-ÜNI-7', title: 'Tabs\tand\nnewlines, "quotes" and ✓ 😀', client: 'Ünïcode GmbH' });
    const src = path.join(h.root, 'résumé.txt');
    fs.writeFileSync(src, 'hello\n');
    const r = await h.call('evidence.add', { caseId: c.id, sourcePath: src, mode: 'copy', description: 'back\\slash \u0001 control' });
    await h.waitJob(c.id, r.jobId);
    await h.call('notes.create', { caseId: c.id, title: 'Ünïcode ✓', body: 'line1\nline2' });
    const summary = await h.call('cases.get', { caseId: c.id });
    await h.call('cases.close', { caseId: c.id });
    folder = c.path;
    head = (await import('better-sqlite3')).default(path.join(folder, 'case.sqlite'), { readonly: true })
      .prepare('SELECT hash FROM custody_events ORDER BY seq DESC LIMIT 1')
      .pluck()
      .get() as string;
    expect(summary.eventCount).toBeGreaterThanOrEqual(5);
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('accepts an untouched case, with and without the expected head', () => {
    expect(runVerifier(folder)).toMatchObject({ code: 0 });
    const withHead = runVerifier(folder, head);
    expect(withHead.code).toBe(0);
    expect(withHead.out).toContain(head);
  });

  it('reports a head other than the expected one (a cut tail)', () => {
    const r = runVerifier(folder, 'f'.repeat(64));
    expect(r.code).toBe(1);
    expect(r.out).toContain('not the expected head');
  });

  it('names the event an attacker edited after dropping the triggers', () => {
    const copy = path.join(h.root, 'tampered');
    fs.cpSync(folder, copy, { recursive: true });
    execFileSync('sqlite3', [path.join(copy, 'case.sqlite'), "DROP TRIGGER custody_events_no_update; UPDATE custody_events SET examiner = 'Mallory (Nobody)' WHERE seq = 3;"]);
    const r = runVerifier(copy);
    expect(r.code).toBe(1);
    expect(r.out).toContain('BROKEN at event 3');
  });
});
