/**
 * aws.snapshotCopy: CopySnapshot into the connection's account and `region`, always encrypted with
 * the KMS key the examiner chose and tagged with the case, then the aws.snapshot job waits for the
 * copy like for a new snapshot and seals it as a cloud-ref artifact. Run it with the forensic
 * account's connection on a snapshot shared with it, or in the victim account to move a snapshot
 * off the aws/ebs key so it can be shared.
 */
import { randomUUID } from 'node:crypto';
import { CopySnapshotCommand, type CopySnapshotCommandOutput } from '@aws-sdk/client-ec2';
import { AppError } from '../../../../shared/errors.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { send, type Ec2Command } from '../preserve/guarded-call.js';
import { caseTags } from '../preserve/preserve.js';
import type { SnapshotJobParams } from '../snapshot/snapshot.job.js';
import { describeSnapshot, preflight, recordSnapshotEvent, withSnapshotCtx } from './snapshot-call.js';

/** Which snapshot to copy, where to, under which key. */
export interface CopyRequest {
  caseId: string;
  connectionId: string;
  /** The destination region (the copy is made there). */
  region: string;
  sourceSnapshotId: string;
  sourceRegion?: string;
  kmsKeyId: string;
  description?: string;
}

const API = 'ec2:CopySnapshot';

/** DryRuns and sends CopySnapshot, records 'aws.snapshot-copy-started' and queues the waiting job. */
export async function copySnapshot(ws: Workstation, req: CopyRequest): Promise<{ jobId: string; snapshotId: string }> {
  const sourceRegion = req.sourceRegion ?? req.region;
  const caseNumber = ws.get(req.caseId).session.info.number;
  const result = await withSnapshotCtx(ws, req, async (c) => {
    const { snap: source } = await describeSnapshot(c, req.sourceSnapshotId, sourceRegion);
    if (source.State !== 'completed') {
      throw new AppError('CONFLICT', `Snapshot ${req.sourceSnapshotId} is ${source.State ?? 'not completed'} (${source.Progress ?? '?'}); AWS copies only completed snapshots. Wait for it, then copy.`);
    }
    const description = req.description ?? `Caseward case ${caseNumber}: copy of ${req.sourceSnapshotId} (${sourceRegion})`;
    const tags = [...caseTags(caseNumber), { Key: 'CasewardSourceSnapshot', Value: req.sourceSnapshotId }];
    const make: Ec2Command = (DryRun) =>
      new CopySnapshotCommand({
        DryRun,
        SourceRegion: sourceRegion,
        SourceSnapshotId: req.sourceSnapshotId,
        Encrypted: true,
        KmsKeyId: req.kmsKeyId,
        Description: description,
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: tags }],
      });
    const denied = await preflight(c, 'copy', API, req.sourceSnapshotId, make);
    if (denied) throw new AppError('FORBIDDEN', `${denied.message} No copy was made.`);
    const { out, requestId } = await send<CopySnapshotCommandOutput>(c.ec2, API, make, c.conn.info.endpoint);
    if (!out.SnapshotId) throw new AppError('INTERNAL', `AWS answered CopySnapshot of ${req.sourceSnapshotId} without a snapshot id (request ${requestId ?? '?'})`);
    const copiedFrom = { snapshotId: req.sourceSnapshotId, region: sourceRegion, ownerId: source.OwnerId ?? null, kmsKeyId: source.KmsKeyId ?? null };
    const { session, runner } = ws.get(req.caseId);
    const jobId = randomUUID();
    const params: SnapshotJobParams = {
      connectionId: req.connectionId,
      connectionAccount: c.conn.info.account,
      endpoint: c.conn.info.endpoint,
      region: req.region,
      instanceId: null,
      snapshots: [{ snapshotId: out.SnapshotId, volumeId: null }],
      createRequestId: requestId,
      copiedFrom,
    };
    session.db.transaction(() => {
      recordSnapshotEvent(c, 'aws.snapshot-copy-started', out.SnapshotId!, {
        api: API,
        requestId,
        sourceSnapshotId: req.sourceSnapshotId,
        sourceRegion,
        sourceOwnerId: copiedFrom.ownerId,
        sourceKmsKeyId: copiedFrom.kmsKeyId,
        kmsKeyId: req.kmsKeyId,
        encrypted: true,
        tags,
        description,
        jobId,
        before: null,
        after: { snapshotId: out.SnapshotId, state: 'pending' },
      });
      insertJob(session.db, { id: jobId, kind: 'aws.snapshot', title: `Wait for the copy ${out.SnapshotId} of ${req.sourceSnapshotId} (${req.region})`, artifactId: null, params });
    }).immediate();
    runner.enqueue(jobId);
    return { jobId, snapshotId: out.SnapshotId };
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return result;
}
