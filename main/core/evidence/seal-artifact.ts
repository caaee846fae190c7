/**
 * Completes a pending artifact and records its artifact.added event in one transaction. Every
 * job that produces evidence goes through here, so the event always carries the keys that
 * verify-chain compares with the artifact row.
 */
import type { ArtifactStorage, Hashes } from '../../../shared/types.js';
import type { CaseDb } from '../cases/case-db.js';
import { appendEvent, nowUtc, type Actor } from '../custody/custody.repo.js';
import { completeArtifact } from './artifacts.repo.js';

/** The artifact as inserted while pending. */
export interface PendingArtifact {
  id: string;
  name: string;
  description: string;
  storage: ArtifactStorage;
  sourcePath: string;
  storedPath: string;
}

/** Seals the artifact with its size and hashes; `extra` adds provenance, never overriding the checked keys. */
export function sealArtifact(
  db: CaseDb,
  actor: Actor,
  a: PendingArtifact,
  result: { size: number } & Hashes,
  jobId: string,
  extra: Record<string, unknown> = {},
): Hashes {
  const hashes = { md5: result.md5, sha1: result.sha1, sha256: result.sha256 };
  db.transaction(() => {
    completeArtifact(db, a.id, result.size, hashes, nowUtc());
    appendEvent(db, actor, {
      action: 'artifact.added',
      artifactId: a.id,
      details: {
        ...extra,
        name: a.name,
        description: a.description,
        storage: a.storage,
        sourcePath: a.sourcePath,
        storedPath: a.storedPath,
        size: result.size,
        ...hashes,
        jobId,
      },
    });
  }).immediate();
  return hashes;
}
