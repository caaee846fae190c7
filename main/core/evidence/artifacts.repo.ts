/** Artifact rows: inserted pending, completed (or abandoned) once, never deleted. */
import type { Artifact, ArtifactKind, EvidenceSegment, ArtifactState, ArtifactStorage, CloudRef, Hashes, VerificationResult } from '../../../shared/types.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseDb } from '../cases/case-db.js';
import { lastEventFor } from '../custody/custody.repo.js';

interface ArtifactRow {
  id: string;
  kind: ArtifactKind;
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
  cloud_provider: string | null;
  cloud_region: string | null;
  cloud_account: string | null;
  cloud_resource_id: string | null;
  cloud_metadata: string | null;
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

/** A cloud-ref artifact as inserted: complete from the start, with no size and no hashes. */
export interface NewCloudRefArtifact {
  id: string;
  name: string;
  description: string;
  sourcePath: string;
  ref: Omit<CloudRef, 'lock'>;
  /** canonicalJson(ref.metadata): the exact text the custody event's hash covers. */
  metadataJson: string;
  addedBy: string;
  addedAt: string;
}

/** Inserts a cloud reference (kind 'cloud-ref', storage 'cloud'); its row is immutable at once. */
export function insertCloudRefArtifact(db: CaseDb, a: NewCloudRefArtifact): void {
  db.prepare(
    `INSERT INTO artifacts (id, kind, state, storage, name, description, source_path, stored_path, added_by, added_at,
       cloud_provider, cloud_region, cloud_account, cloud_resource_id, cloud_metadata)
     VALUES (?, 'cloud-ref', 'complete', 'cloud', ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.id, a.name, a.description, a.sourcePath, a.addedBy, a.addedAt, a.ref.provider, a.ref.region, a.ref.account, a.ref.resourceId, a.metadataJson);
}

/** The complete cloud-ref artifact of a cloud resource in a region, if the case has one. */
export function findCloudRef(db: CaseDb, region: string, resourceId: string): Artifact | null {
  const row = db
    .prepare("SELECT * FROM artifacts WHERE cloud_resource_id = ? AND cloud_region = ? AND kind = 'cloud-ref' ORDER BY added_at, id LIMIT 1")
    .get(resourceId, region) as ArtifactRow | undefined;
  return row ? toArtifact(db, row) : null;
}

/** Throws a clear error when an operation that reads bytes is given a cloud reference. */
export function requireFileArtifact(a: Artifact, operation: string): void {
  if (a.kind === 'cloud-ref') {
    throw new AppError(
      'INVALID_INPUT',
      `${a.name} is a reference to ${a.cloud?.resourceId ?? 'a cloud resource'} in AWS, not a file in the case; ${operation} needs a file. Image the snapshot first (aws.image).`,
    );
  }
}

function cloudOf(db: CaseDb, row: ArtifactRow): CloudRef | null {
  if (row.kind !== 'cloud-ref') return null;
  const locked = lastEventFor(db, row.id, 'aws.snapshot-locked');
  const lock = locked?.details.lock as { lockState?: string; lockMode?: string; lockExpiresOn?: string | null } | undefined;
  return {
    provider: 'aws',
    region: row.cloud_region ?? '',
    account: row.cloud_account ?? '',
    resourceId: row.cloud_resource_id ?? '',
    resourceType: 'ebs-snapshot',
    metadata: JSON.parse(row.cloud_metadata ?? '{}') as Record<string, unknown>,
    lock: locked ? { mode: lock?.lockMode ?? '', state: lock?.lockState ?? '', expiresOn: lock?.lockExpiresOn ?? null, at: locked.at } : null,
  };
}

/** The segments the artifact.added event lists (the chain is the record; the row has no column for them). */
function segmentsOf(db: CaseDb, row: ArtifactRow): EvidenceSegment[] | null {
  if (row.kind !== 'file' || row.state !== 'complete') return null;
  const segs = lastEventFor(db, row.id, 'artifact.added')?.details.segments;
  return Array.isArray(segs) ? (segs as EvidenceSegment[]) : null;
}

function toArtifact(db: CaseDb, row: ArtifactRow): Artifact {
  const verified = lastEventFor(db, row.id, 'artifact.verified');
  const segments = segmentsOf(db, row);
  return {
    ...(segments ? { segments } : {}),
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
    cloud: cloudOf(db, row),
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
