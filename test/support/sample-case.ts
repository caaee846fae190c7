/**
 * A small but complete case to attack: evidence copied and registered in place, a revised note,
 * a verified chain, then closed so its case.sqlite can be edited with the sqlite3 shell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Artifact, ChainVerification, CustodyEvent, VerifyOutcome } from '../../shared/types.js';
import type { Harness } from './app-harness.js';

export interface SampleCase {
  caseId: string;
  folder: string;
  dbFile: string;
  copied: Artifact;
  inPlace: Artifact;
  /** The in-place evidence file (outside the case folder). */
  inPlaceFile: string;
  noteId: string;
  /** Every event as it stood when the case was closed. */
  events: CustodyEvent[];
}

/** Builds, verifies and closes the sample case; the harness's workstation remembers its head. */
export async function buildSampleCase(h: Harness, number = 'IR-TAMPER-1'): Promise<SampleCase> {
  const c = await h.call('cases.create', {
    number,
    title: 'Exfiltration from prod — “quoted”',
    client: 'Acme Ünïcode GmbH',
    description: 'Line one\nLine two\twith a tab 😀',
  });
  const srcDir = path.join(h.root, `sources-${number}`);
  fs.mkdirSync(srcDir, { recursive: true });
  const copySrc = path.join(srcDir, 'memory.lime');
  fs.writeFileSync(copySrc, randomBytes(200 * 1024));
  const inPlaceFile = path.join(srcDir, 'cloudtrail.json.gz');
  fs.writeFileSync(inPlaceFile, randomBytes(3000));

  const a = await h.call('evidence.add', { caseId: c.id, sourcePath: copySrc, mode: 'copy', description: 'RAM capture' });
  expectSucceeded(await h.waitJob(c.id, a.jobId));
  const b = await h.call('evidence.add', { caseId: c.id, sourcePath: inPlaceFile, mode: 'in-place' });
  expectSucceeded(await h.waitJob(c.id, b.jobId));
  const note = await h.call('notes.create', { caseId: c.id, artifactId: a.artifactId, title: 'Triage', body: 'First pass.\nNothing yet.' });
  await h.call('notes.revise', { caseId: c.id, noteId: note.id, baseRevision: 1, title: 'Triage', body: 'Second pass: beacon to 203.0.113.7' });
  const chain = await h.call('custody.verifyChain', { caseId: c.id });
  if (!chain.ok) throw new Error(`sample case does not verify: ${JSON.stringify(chain.problems)}`);
  const copied = await h.call('evidence.get', { caseId: c.id, artifactId: a.artifactId });
  const inPlace = await h.call('evidence.get', { caseId: c.id, artifactId: b.artifactId });
  await h.call('cases.close', { caseId: c.id });
  const dbFile = path.join(c.path, 'case.sqlite');
  return { caseId: c.id, folder: c.path, dbFile, copied, inPlace, inPlaceFile, noteId: note.id, events: readEvents(dbFile) };
}

function expectSucceeded(job: { state: string; error: string | null }): void {
  if (job.state !== 'succeeded') throw new Error(`sample case job ${job.state}: ${job.error ?? ''}`);
}

/** Reads the custody rows of a closed case read-only (no Caseward code). */
export function readEvents(dbFile: string): CustodyEvent[] {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT * FROM custody_events ORDER BY seq').all() as Record<string, unknown>[];
    return rows.map((r) => ({
      seq: r.seq as number,
      at: r.at as string,
      examiner: r.examiner as string,
      workstation: r.workstation as string,
      action: r.action as string,
      artifactId: r.artifact_id as string | null,
      details: JSON.parse(r.details as string) as Record<string, unknown>,
      prevHash: r.prev_hash as string,
      hash: r.hash as string,
    }));
  } finally {
    db.close();
  }
}

/** The seq of the first event with this action (and artifact, if given). */
export function seqOf(s: SampleCase, action: string, artifactId?: string): number {
  const e = s.events.find((x) => x.action === action && (artifactId === undefined || x.artifactId === artifactId));
  if (!e) throw new Error(`no ${action} event in the sample case`);
  return e.seq;
}

export interface CaseCheck {
  caseId: string;
  chain: ChainVerification;
  evidence: { checked: number; match: number; mismatch: number; missing: number; unreadable: number; outcomes: VerifyOutcome[] };
}

/** Reopens the case on the harness's workstation and runs both verifications an examiner would. */
export async function reopenAndVerify(h: Harness, s: SampleCase): Promise<CaseCheck> {
  const opened = await h.call('cases.open', { path: s.folder });
  const chain = await h.call('custody.verifyChain', { caseId: opened.id });
  const v = await h.call('evidence.verify', { caseId: opened.id });
  const job = await h.waitJob(opened.id, v.jobId);
  if (job.state !== 'succeeded') throw new Error(`evidence.verify job ${job.state}: ${job.error ?? ''}`);
  return { caseId: opened.id, chain, evidence: job.result as CaseCheck['evidence'] };
}
