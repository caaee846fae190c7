/**
 * What the snapshot hand-over operations share: the connection and EC2 client for one region, the
 * snapshot as DescribeSnapshots gives it, custody records linked to the snapshot's cloud-ref
 * artifact, and the DryRun denial record every mutating call makes.
 */
import { DescribeSnapshotsCommand, type EC2Client, type Snapshot } from '@aws-sdk/client-ec2';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent } from '../../custody/custody.repo.js';
import { findCloudRef } from '../../evidence/artifacts.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';
import { dryRun, type Ec2Command } from '../preserve/guarded-call.js';

/** One region of one connection, for one case. */
export interface SnapshotCtx {
  ws: Workstation;
  conn: LiveConnection;
  ec2: EC2Client;
  caseId: string;
  region: string;
}

/** Runs `fn` with an EC2 client for the region; the client is closed afterwards. */
export async function withSnapshotCtx<T>(ws: Workstation, req: { caseId: string; connectionId: string; region: string }, fn: (c: SnapshotCtx) => Promise<T>): Promise<T> {
  ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const ec2 = ec2Client(conn, req.region);
  try {
    return await fn({ ws, conn, ec2, caseId: req.caseId, region: req.region });
  } finally {
    ec2.destroy();
  }
}

/** The snapshot, visible to the caller in `region` (own or shared with it). */
export async function describeSnapshot(c: SnapshotCtx, snapshotId: string, region = c.region): Promise<{ snap: Snapshot; requestId: string | null }> {
  const ec2 = region === c.region ? c.ec2 : ec2Client(c.conn, region);
  try {
    const out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    const snap = out.Snapshots?.find((s) => s.SnapshotId === snapshotId);
    if (!snap) throw new AppError('NOT_FOUND', `Snapshot ${snapshotId} was not found in ${region}`);
    return { snap, requestId: out.$metadata.requestId ?? null };
  } catch (err) {
    throw mapAwsError(err, `EC2 DescribeSnapshots ${snapshotId} in ${region}`, { endpoint: c.conn.info.endpoint });
  } finally {
    if (ec2 !== c.ec2) ec2.destroy();
  }
}

/** Appends a custody event, linked to the snapshot's cloud-ref artifact when the case has one. */
export function recordSnapshotEvent(c: SnapshotCtx, action: string, snapshotId: string, details: Record<string, unknown>): string | null {
  const db = c.ws.get(c.caseId).session.db;
  const artifactId = findCloudRef(db, c.region, snapshotId)?.id ?? null;
  appendEvent(db, c.ws.actor(), {
    action,
    artifactId,
    details: { connectionId: c.conn.info.connectionId, account: c.conn.info.account, region: c.region, snapshotId, ...details },
  });
  return artifactId;
}

/** DryRuns the call; a denial is recorded ('aws.preserve-denied') and returned, nothing having changed. */
export async function preflight(c: SnapshotCtx, preserveAction: string, api: string, snapshotId: string, make: Ec2Command): Promise<{ missingPermission: string; message: string } | null> {
  const d = await dryRun(c.ec2, api, make, c.conn.info.endpoint);
  if (d.allowed) return null;
  recordSnapshotEvent(c, 'aws.preserve-denied', snapshotId, { preserveAction, api, missingPermission: d.missingPermission, requestId: d.requestId });
  return { missingPermission: d.missingPermission, message: `AWS denied ${api} (DryRun); nothing was changed. The credentials lack ${d.missingPermission}.` };
}

/** The AWS error code and request id of an SDK failure. */
export function awsFailure(err: unknown): { code: string; message: string; requestId: string | null } {
  const e = (err ?? {}) as { name?: string; Code?: string; message?: string; $metadata?: { requestId?: string } };
  return { code: e.Code ?? e.name ?? '', message: e.message ?? String(err), requestId: e.$metadata?.requestId ?? null };
}
