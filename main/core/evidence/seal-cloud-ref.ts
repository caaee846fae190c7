/**
 * Records a cloud object (an EBS snapshot) as a 'cloud-ref' artifact and its artifact.added event in
 * one transaction. The event carries the same keys as a file's (size and hashes null) plus `kind`
 * and `cloud`, which verify-chain compares with the row, so an edited reference is caught.
 */
import { randomUUID } from 'node:crypto';
import type { CloudRef } from '../../../shared/types.js';
import type { CaseDb } from '../cases/case-db.js';
import { canonicalJson } from '../custody/canonical.js';
import { appendEvent, nowUtc, type Actor } from '../custody/custody.repo.js';
import { findCloudRef, insertCloudRefArtifact } from './artifacts.repo.js';

/** The reference to seal; `metadata` is stored as canonical JSON. */
export interface CloudRefInput {
  name: string;
  description: string;
  ref: Omit<CloudRef, 'lock'>;
}

/** The source path a cloud-ref records: aws:ec2:<region>:<account>:snapshot/<id>. */
export function cloudSourcePath(ref: Omit<CloudRef, 'lock'>): string {
  return `${ref.provider}:ec2:${ref.region}:${ref.account}:snapshot/${ref.resourceId}`;
}

/**
 * Seals the reference unless the case already holds one for the same resource and region (a
 * resumed job must not record a snapshot twice); returns the artifact id and whether it is new.
 * Runs inside the caller's transaction when there is one.
 */
export function sealCloudRef(db: CaseDb, actor: Actor, input: CloudRefInput, jobId: string | null, extra: Record<string, unknown> = {}): { artifactId: string; created: boolean } {
  return db.transaction(() => {
    const existing = findCloudRef(db, input.ref.region, input.ref.resourceId);
    if (existing) return { artifactId: existing.id, created: false };
    const id = randomUUID();
    const metadataJson = canonicalJson(input.ref.metadata);
    const sourcePath = cloudSourcePath(input.ref);
    insertCloudRefArtifact(db, { id, name: input.name, description: input.description, sourcePath, ref: input.ref, metadataJson, addedBy: actor.examiner, addedAt: nowUtc() });
    appendEvent(db, actor, {
      action: 'artifact.added',
      artifactId: id,
      details: {
        ...extra,
        kind: 'cloud-ref',
        name: input.name,
        description: input.description,
        storage: 'cloud',
        sourcePath,
        storedPath: '',
        size: null,
        md5: null,
        sha1: null,
        sha256: null,
        cloud: { ...input.ref, metadata: JSON.parse(metadataJson) as unknown },
        jobId,
      },
    });
    return { artifactId: id, created: true };
  })();
}
