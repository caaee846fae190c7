/**
 * Recomputes the custody chain and cross-checks the rows it vouches for (case, artifacts, notes),
 * naming the first broken event. Evidence files are re-hashed separately (evidence verify job).
 */
import type { ChainProblem, ChainVerification } from '../../../shared/types.js';
import type { CaseDb } from '../cases/case-db.js';
import { canonicalJson, eventHash, GENESIS_HASH } from './canonical.js';
import { iterateEvents } from './custody.repo.js';
import { noteRevisionHash } from '../notes/note-hash.js';

/** Verifies the chain and the rows it records; never modifies the database. */
export function verifyChain(db: CaseDb): ChainVerification {
  const problems: ChainProblem[] = [];
  let firstBreak: ChainVerification['firstBreak'] = null;
  const fail = (seq: number, reason: string) => {
    problems.push({ kind: 'event', seq, reason });
    firstBreak ??= { seq, reason };
  };

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let headSeq = 0;
  let headHash = GENESIS_HASH;
  for (const e of iterateEvents(db)) {
    count++;
    if (e.seq !== expectedSeq) {
      fail(e.seq, e.seq > expectedSeq ? `events ${expectedSeq}–${e.seq - 1} are missing` : `sequence out of order (expected ${expectedSeq})`);
    }
    if (e.prevHash !== prevHash) fail(e.seq, `its previous-hash link does not match event ${e.seq - 1}'s hash`);
    const recomputed = eventHash({ ...e, details: e.rawDetails });
    if (recomputed !== e.hash) fail(e.seq, 'its contents do not match its stored hash (the event was altered)');
    else if (canonicalJson(e.details) !== e.rawDetails) fail(e.seq, 'its details are not in canonical form');
    expectedSeq = e.seq + 1;
    prevHash = e.hash;
    headSeq = e.seq;
    headHash = e.hash;
  }

  problems.push(...checkCaseRow(db), ...checkArtifactRows(db), ...checkNoteRows(db));
  return { ok: problems.length === 0, eventCount: count, headSeq, headHash, firstBreak, problems };
}

function detailsOf(db: CaseDb, action: string, artifactId: string | null): Record<string, unknown>[] {
  const rows = (
    artifactId === null
      ? db.prepare('SELECT details FROM custody_events WHERE action = ? AND artifact_id IS NULL ORDER BY seq').all(action)
      : db.prepare('SELECT details FROM custody_events WHERE action = ? AND artifact_id = ? ORDER BY seq').all(action, artifactId)
  ) as { details: string }[];
  return rows.map((r) => JSON.parse(r.details) as Record<string, unknown>);
}

function checkCaseRow(db: CaseDb): ChainProblem[] {
  const row = db.prepare('SELECT * FROM case_info').get() as Record<string, unknown> | undefined;
  const created = detailsOf(db, 'case.created', null)[0];
  if (!row || !created) return [{ kind: 'event', seq: 0, reason: 'the case record or its case.created event is missing' }];
  const fields = ['id', 'number', 'title', 'client', 'description', 'examiner', 'time_zone'] as const;
  const keys: Record<(typeof fields)[number], string> = {
    id: 'caseId', number: 'number', title: 'title', client: 'client', description: 'description', examiner: 'examiner', time_zone: 'timeZone',
  };
  const changed = fields.filter((f) => row[f] !== created[keys[f]]);
  return changed.length
    ? [{ kind: 'event', seq: 0, reason: `the case record differs from its case.created event (${changed.join(', ')})` }]
    : [];
}

interface ArtifactRow {
  id: string;
  kind: string;
  name: string;
  state: string;
  storage: string;
  stored_path: string;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  cloud_provider: string | null;
  cloud_region: string | null;
  cloud_account: string | null;
  cloud_resource_id: string | null;
  cloud_metadata: string | null;
}

/** A cloud-ref row's reference against the `cloud` object of its artifact.added event. */
function cloudPairs(a: ArtifactRow, added: Record<string, unknown>): [string, unknown, unknown][] {
  const cloud = (added.cloud ?? {}) as Record<string, unknown>;
  let metadata: string | null;
  try {
    metadata = cloud.metadata === undefined ? null : canonicalJson(cloud.metadata);
  } catch {
    metadata = null;
  }
  return [
    ['provider', a.cloud_provider, a.kind === 'cloud-ref' ? cloud.provider : undefined],
    ['region', a.cloud_region, cloud.region],
    ['account', a.cloud_account, cloud.account],
    ['resource id', a.cloud_resource_id, cloud.resourceId],
    ['metadata', a.cloud_metadata, metadata],
  ].map(([label, row, event]) => [label as string, row ?? null, event ?? null]);
}

function checkArtifactRows(db: CaseDb): ChainProblem[] {
  const problems: ChainProblem[] = [];
  for (const a of db.prepare('SELECT * FROM artifacts ORDER BY added_at, id').all() as ArtifactRow[]) {
    if (a.state !== 'complete') continue;
    const added = detailsOf(db, 'artifact.added', a.id)[0];
    if (!added) {
      problems.push({ kind: 'artifact', artifactId: a.id, name: a.name, reason: 'marked complete but no artifact.added event records it' });
      continue;
    }
    const pairs: [string, unknown, unknown][] = [
      // Events from before version 40 have no kind: they are files.
      ['kind', a.kind, added.kind ?? 'file'],
      ['name', a.name, added.name],
      ['storage', a.storage, added.storage],
      ['stored path', a.stored_path, added.storedPath],
      ['size', a.size, added.size],
      ['MD5', a.md5, added.md5],
      ['SHA-1', a.sha1, added.sha1],
      ['SHA-256', a.sha256, added.sha256],
      ...cloudPairs(a, added),
    ];
    const differs = pairs.filter(([, row, event]) => row !== event).map(([label]) => label);
    if (differs.length) {
      problems.push({ kind: 'artifact', artifactId: a.id, name: a.name, reason: `its record differs from the custody chain (${differs.join(', ')})` });
    }
  }
  return problems;
}

function checkNoteRows(db: CaseDb): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const written = new Map<string, string>();
  const events = db.prepare("SELECT details FROM custody_events WHERE action = 'note.written'").all() as { details: string }[];
  for (const { details } of events) {
    const d = JSON.parse(details) as Record<string, unknown>;
    written.set(`${String(d.noteId)}#${String(d.revision)}`, String(d.sha256));
  }
  const revisions = db.prepare('SELECT note_id, revision, title, body, sha256 FROM note_revisions ORDER BY note_id, revision').all() as {
    note_id: string; revision: number; title: string; body: string; sha256: string;
  }[];
  for (const r of revisions) {
    const actual = noteRevisionHash(r.title, r.body);
    const recorded = written.get(`${r.note_id}#${r.revision}`);
    if (actual !== r.sha256 || recorded !== actual) {
      problems.push({ kind: 'event', seq: 0, reason: `note ${r.note_id} revision ${r.revision} does not match its note.written event` });
    }
  }
  return problems;
}
