/**
 * aws.snapshot: one CreateSnapshots call (crash-consistent across the instance's chosen volumes,
 * tagged with the case), recorded in custody, then an aws.snapshot job that waits for completion.
 */
import { randomUUID } from 'node:crypto';
import { CreateSnapshotsCommand, type CreateSnapshotsCommandOutput } from '@aws-sdk/client-ec2';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent } from '../../custody/custody.repo.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { checkRegion, ec2Client, getConnection } from '../connect/connections.js';
import { dryRun, send, type Ec2Command } from '../preserve/guarded-call.js';
import { caseTags, describe } from '../preserve/preserve.js';
import type { SnapshotJobParams } from './snapshot.job.js';

/** What to snapshot; no volumeIds means every attached EBS volume. */
export interface SnapshotRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
  volumeIds?: string[];
  description?: string;
}

/** DryRuns, creates the snapshots, records 'aws.snapshots-created' and queues the waiting job. */
export async function startSnapshot(ws: Workstation, req: SnapshotRequest): Promise<{ jobId: string; snapshotIds: string[] }> {
  const actor = ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const caseNumber = ws.get(req.caseId).session.info.number;
  const ec2 = ec2Client(conn, req.region);
  let created: CreateSnapshotsCommandOutput;
  let requestId: string | null;
  let chosen: { volumeId: string; deviceName: string | null }[];
  try {
    const inst = await describe({ ws, conn, ec2, caseId: req.caseId, region: req.region, instanceId: req.instanceId });
    const attached = (inst.BlockDeviceMappings ?? []).filter((b) => b.Ebs?.VolumeId).map((b) => ({ volumeId: b.Ebs!.VolumeId!, deviceName: b.DeviceName ?? null }));
    const unknown = (req.volumeIds ?? []).filter((v) => !attached.some((a) => a.volumeId === v));
    if (unknown.length > 0) throw new AppError('INVALID_INPUT', `Not attached to ${req.instanceId}: ${unknown.join(', ')}`);
    chosen = req.volumeIds ? attached.filter((a) => req.volumeIds!.includes(a.volumeId)) : attached;
    if (chosen.length === 0) throw new AppError('INVALID_INPUT', `${req.instanceId} has no attached EBS volume to snapshot`);
    const root = attached.find((a) => a.deviceName !== null && a.deviceName === inst.RootDeviceName);
    const excludeBoot = !!root && !chosen.includes(root);
    const excludeData = attached.filter((a) => a !== root && !chosen.includes(a)).map((a) => a.volumeId);
    const description = req.description ?? `Caseward case ${caseNumber}: ${req.instanceId}`;
    const make: Ec2Command = (DryRun) =>
      new CreateSnapshotsCommand({
        DryRun,
        Description: description,
        InstanceSpecification: { InstanceId: req.instanceId, ExcludeBootVolume: excludeBoot || undefined, ExcludeDataVolumeIds: excludeData.length ? excludeData : undefined },
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: caseTags(caseNumber) }],
        CopyTagsFromSource: 'volume',
      });
    const d = await dryRun(ec2, 'ec2:CreateSnapshots', make, conn.info.endpoint);
    if (!d.allowed) {
      appendEvent(ws.get(req.caseId).session.db, actor, {
        action: 'aws.preserve-denied',
        details: { preserveAction: 'snapshot', connectionId: conn.info.connectionId, account: conn.info.account, region: req.region, instanceId: req.instanceId, api: 'ec2:CreateSnapshots', missingPermission: d.missingPermission, requestId: d.requestId },
      });
      throw new AppError('FORBIDDEN', `AWS denied ec2:CreateSnapshots (DryRun); no snapshot was created. The credentials lack ${d.missingPermission}.`);
    }
    ({ out: created, requestId } = await send<CreateSnapshotsCommandOutput>(ec2, 'ec2:CreateSnapshots', make, conn.info.endpoint));
  } finally {
    ec2.destroy();
  }
  const snaps = (created.Snapshots ?? []).map((s) => ({ snapshotId: s.SnapshotId!, volumeId: s.VolumeId ?? null }));
  const { session, runner } = ws.get(req.caseId);
  const jobId = randomUUID();
  const params: SnapshotJobParams = {
    connectionId: req.connectionId,
    connectionAccount: conn.info.account,
    endpoint: conn.info.endpoint,
    region: req.region,
    instanceId: req.instanceId,
    snapshots: snaps,
    createRequestId: requestId,
  };
  session.db.transaction(() => {
    appendEvent(session.db, actor, {
      action: 'aws.snapshots-created',
      details: {
        api: 'ec2:CreateSnapshots',
        requestId,
        connectionId: conn.info.connectionId,
        account: conn.info.account,
        region: req.region,
        instanceId: req.instanceId,
        snapshots: snaps,
        volumes: chosen,
        tags: caseTags(caseNumber),
        jobId,
        before: null,
        after: { snapshotIds: snaps.map((s) => s.snapshotId), state: 'pending' },
      },
    });
    insertJob(session.db, { id: jobId, kind: 'aws.snapshot', title: `Wait for EBS snapshots of ${req.instanceId} (${req.region})`, artifactId: null, params });
  }).immediate();
  runner.enqueue(jobId);
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return { jobId, snapshotIds: snaps.map((s) => s.snapshotId) };
}
