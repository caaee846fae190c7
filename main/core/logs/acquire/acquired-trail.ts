/**
 * Gathers the CloudTrail logs, digests and public keys acquired into a case into logs.validate's
 * input: the digests' signatures come from the S3 metadata recorded when each was sealed, the keys
 * from the ListPublicKeys artifacts. Everything is read from the case, nothing from AWS.
 */
import fs from 'node:fs';
import type { AcquiredTrail } from '../../../../shared/contract-logs-acquire.js';
import type { CaseSession } from '../../cases/case-session.js';
import { getArtifact } from '../../evidence/artifacts.repo.js';
import { artifactFilePath } from '../../evidence/verify-evidence.job.js';
import { parsePublicKeysFile } from './public-keys.js';
import { acquiredS3Objects } from './store.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The acquired trail (optionally of one bucket); the newest copy of each object when it was acquired more than once. */
export function acquiredTrail(session: CaseSession, bucket?: string): AcquiredTrail {
  const out: AcquiredTrail = { logs: [], digests: [], publicKeys: [], publicKeyArtifactIds: [] };
  for (const o of acquiredS3Objects(session.db).values()) {
    const d = o.details;
    const s3Bucket = String(d.s3Bucket);
    if (bucket && s3Bucket !== bucket) continue;
    const s3Key = String(d.s3Key);
    if (d.fileKind === 'cloudtrail-log') out.logs.push({ artifactId: o.artifactId, s3Bucket, s3Key });
    if (d.fileKind === 'cloudtrail-digest') {
      out.digests.push({
        artifactId: o.artifactId, s3Bucket, s3Key,
        signatureHex: str(d.signatureHex), signatureAlgorithm: str(d.signatureAlgorithm), backfillGenerationTimestamp: str(d.backfillGenerationTimestamp),
      });
    }
  }
  const keyRows = session.db
    .prepare(
      `SELECT e.artifact_id AS artifactId FROM custody_events e JOIN artifacts a ON a.id = e.artifact_id
       WHERE e.action = 'artifact.added' AND a.state = 'complete' AND json_extract(e.details, '$.fileKind') = 'cloudtrail-public-keys' ORDER BY e.seq`,
    )
    .all() as { artifactId: string }[];
  const byFingerprint = new Map<string, AcquiredTrail['publicKeys'][number]>();
  for (const { artifactId } of keyRows) {
    const a = getArtifact(session.db, artifactId);
    const keys = parsePublicKeysFile(fs.readFileSync(artifactFilePath(session, a), 'utf8'), a.name);
    for (const k of keys) {
      byFingerprint.set(k.fingerprint, { fingerprint: k.fingerprint, value: k.value, validityStart: k.validityStart === null ? null : String(k.validityStart), validityEnd: k.validityEnd === null ? null : String(k.validityEnd) });
    }
    out.publicKeyArtifactIds.push(artifactId);
  }
  out.publicKeys = [...byFingerprint.values()];
  const byKey = (a: { s3Key: string }, b: { s3Key: string }) => a.s3Key.localeCompare(b.s3Key);
  out.logs.sort(byKey);
  out.digests.sort(byKey);
  return out;
}
