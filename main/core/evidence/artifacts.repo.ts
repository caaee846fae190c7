/** Artifact rows: inserted pending, completed (or abandoned) once, never deleted. */
import type { Artifact, ArtifactState, ArtifactStorage, Hashes, VerificationResult } from '../../../shared/types.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseDb } from '../cases/case-db.js';
import { lastEventFor } from '../custody/custody.repo.js';

interface ArtifactRow {
  id: string;
  kind: 'file';
  state: ArtifactState;
  storage: ArtifactStorage;
  name: string;
  description: string;
  source_path: string;
  stored_path: string;
  size: number | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  added_by: string;
  added_at: string;
  hashed_at: string | null;
}

export interface NewArtifact {
  id: string;
  storage: ArtifactStorage;
  name: string;
  description: string;
  sourcePath: string;
  storedPath: string;
  addedBy: string;
  addedAt: string;
}

export function insertPendingArtifact(db: CaseDb, a: NewArtifact): void {
  db.prepare(
    `INSERT INTO artifacts (id, kind, state, storage, name, description, source_path, stored_path, added_by, added_at)
     VALUES (@id, 'file', 'pending', @storage, @name, @description, @sourcePath, @storedPath, @addedBy, @addedAt)`,
  ).run(a);
}

/** Completes a pending artifact with its size and hashes (the row is immutable afterwards). */
export function completeArtifact(db: CaseDb, id: string, size: number, hashes: Hashes, hashedAt: string): void {
  const r = db
    .prepare(
      `UPDATE artifacts SET state = 'complete', size = ?, md5 = ?, sha1 = ?, sha256 = ?, hashed_at = ?
       WHERE id = ? AND state = 'pending'`,
    )
    .run(size, hashes.md5, hashes.sha1, hashes.sha256, hashedAt, id);
  if (r.changes !== 1) throw new AppError('JOB_STATE', `Artifact ${id} is not pending`);
}

/** Marks a pending artifact failed or discarded; it never looks complete. */
export function abandonArtifact(db: CaseDb, id: string, state: 'failed' | 'discarded'): void {
  db.prepare("UPDATE artifacts SET state = ? WHERE id = ? AND state = 'pending'").run(state, id);
}

function toArtifact(db: CaseDb, row: ArtifactRow): Artifact {
  const verified = lastEventFor(db, row.id, 'artifact.verified');
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    storage: row.storage,
    name: row.name,
    description: row.description,
    sourcePath: row.source_path,
    storedPath: row.stored_path,
    size: row.size,
    hashes: row.md5 && row.sha1 && row.sha256 ? { md5: row.md5, sha1: row.sha1, sha256: row.sha256 } : null,
    addedBy: row.added_by,
    addedAt: row.added_at,
    hashedAt: row.hashed_at,
    lastVerification: verified
      ? { result: verified.details.result as VerificationResult, at: verified.at, by: verified.examiner }
      : null,
  };
}

export function listArtifacts(db: CaseDb): Artifact[] {
  const rows = db.prepare('SELECT * FROM artifacts ORDER BY added_at, id').all() as ArtifactRow[];
  return rows.map((r) => toArtifact(db, r));
}

export function getArtifact(db: CaseDb, id: string): Artifact {
  const row = db.prepare('SELECT * FROM artifacts WHERE id = ?').get(id) as ArtifactRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No artifact ${id} in this case`);
  return toArtifact(db, row);
}
