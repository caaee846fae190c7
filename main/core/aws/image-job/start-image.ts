/**
 * aws.image: checks that the snapshot exists and is completed (before anything is created), then
 * records a pending raw-image artifact and queues the aws.image job that downloads it.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { DescribeSnapshotsCommand, type Snapshot } from '@aws-sdk/client-ec2';
import { AppError } from '../../../../shared/errors.js';
import { EVIDENCE_DIR } from '../../cases/case-session.js';
import { nowUtc } from '../../custody/custody.repo.js';
import { insertPendingArtifact } from '../../evidence/artifacts.repo.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { awsErrorCode, mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';
import type { ImageJobParams } from './image-snapshot.job.js';

/** What to image. */
export interface ImageRequest {
  caseId: string;
  connectionId: string;
  region: string;
  snapshotId: string;
  concurrency: number;
}

/** The snapshot's DescribeSnapshots record, and the request id that returned it. */
async function describeSnapshot(conn: LiveConnection, region: string, snapshotId: string): Promise<{ snap: Snapshot; requestId: string | null }> {
  const ec2 = ec2Client(conn, region);
  try {
    const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    const snap = out.Snapshots?.find((s) => s.SnapshotId === snapshotId);
    if (!snap) throw new AppError('NOT_FOUND', `Snapshot ${snapshotId} was not found in ${region}`);
    return { snap, requestId: out.$metadata.requestId ?? null };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (awsErrorCode(err) === 'InvalidSnapshot.NotFound') throw new AppError('NOT_FOUND', `Snapshot ${snapshotId} was not found in ${region} (account ${conn.info.account})`);
    throw mapAwsError(err, `DescribeSnapshots for ${snapshotId}`, { endpoint: conn.info.endpoint });
  } finally {
    ec2.destroy();
  }
}

/** The EBS direct APIs serve only completed snapshots; say plainly when to come back. */
function checkCompleted(snap: Snapshot, snapshotId: string): void {
  if (snap.State === 'completed') return;
  if (snap.State === 'pending') {
    throw new AppError('CONFLICT', `Snapshot ${snapshotId} is still pending (${snap.Progress ?? '?%'}); image it when it completes`);
  }
  throw new AppError('CONFLICT', `Snapshot ${snapshotId} is in state '${snap.State ?? 'unknown'}' and cannot be imaged${snap.StateMessage ? ` (${snap.StateMessage})` : ''}`);
}

/** Checks the snapshot, creates the pending artifact and queues the job; returns their ids. */
export async function startImage(ws: Workstation, req: ImageRequest): Promise<{ jobId: string; artifactId: string }> {
  const actor = ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const { snap, requestId } = await describeSnapshot(conn, req.region, req.snapshotId);
  checkCompleted(snap, req.snapshotId);
  // The case may have closed while AWS answered.
  const { session, runner } = ws.get(req.caseId);
  const account = snap.OwnerId ?? conn.info.account;
  const artifactId = randomUUID();
  const jobId = randomUUID();
  const name = `${req.snapshotId}.raw`;
  const params: ImageJobParams = {
    artifactId,
    connectionId: req.connectionId,
    connectionAccount: conn.info.account,
    endpoint: conn.info.endpoint,
    region: req.region,
    account,
    snapshotId: req.snapshotId,
    concurrency: req.concurrency,
    volumeId: snap.VolumeId ?? null,
    volumeSizeGiB: snap.VolumeSize ?? null,
    snapshotStartTime: snap.StartTime?.toISOString() ?? null,
    encrypted: snap.Encrypted ?? false,
    kmsKeyId: snap.KmsKeyId ?? null,
    describeRequestId: requestId,
    identityArn: conn.info.arn,
  };
  const description = [
    `Raw image of EBS snapshot ${req.snapshotId}`,
    snap.VolumeId ? `of volume ${snap.VolumeId}` : null,
    snap.VolumeSize ? `(${snap.VolumeSize} GiB)` : null,
    `in ${req.region}, account ${account}`,
  ]
    .filter(Boolean)
    .join(' ');
  session.db.transaction(() => {
    insertPendingArtifact(session.db, {
      id: artifactId,
      storage: 'copied',
      name,
      description: snap.Description ? `${description}: ${snap.Description}` : description,
      sourcePath: `aws:ebs:${req.region}:${account}:${req.snapshotId}`,
      storedPath: path.join(EVIDENCE_DIR, artifactId, name),
      addedBy: actor.examiner,
      addedAt: nowUtc(),
    });
    insertJob(session.db, { id: jobId, kind: 'aws.image', title: `Image EBS snapshot ${req.snapshotId} (${req.region})`, artifactId, params });
  }).immediate();
  runner.enqueue(jobId);
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'artifacts' });
  return { jobId, artifactId };
}
