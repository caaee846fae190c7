/**
 * The aws.snapshot job: polls DescribeSnapshots with backoff until every snapshot CreateSnapshots
 * (or CopySnapshot) made is completed (or one errors), then seals each as a cloud-ref artifact and
 * records 'aws.snapshot-completed': docs/aws.md, "Snapshots as artifacts". Cancelling only stops the
 * waiting; the snapshots stay in AWS (Caseward never deletes AWS objects) and custody says so.
 */
import { DescribeSnapshotsCommand, type Snapshot } from '@aws-sdk/client-ec2';
import type { AwsSnapshotRef } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import { sealCloudRef } from '../../evidence/seal-cloud-ref.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { ec2Client, getConnection, listConnections, type LiveConnection } from '../connect/connections.js';

/** The job's parameters, stored with the job (never credentials). */
export interface SnapshotJobParams {
  connectionId: string;
  connectionAccount: string;
  endpoint: string | null;
  region: string;
  /** Null for a copy (aws.snapshotCopy), whose snapshot has no instance in this account. */
  instanceId: string | null;
  snapshots: { snapshotId: string; volumeId: string | null }[];
  createRequestId: string | null;
  /** Set when the job waits for a CopySnapshot copy rather than CreateSnapshots. */
  copiedFrom?: { snapshotId: string; region: string; ownerId: string | null; kmsKeyId: string | null };
}

/** The cloud-ref artifact's metadata: what AWS said at completion, and where it came from. */
function metadataOf(r: AwsSnapshotRef, p: SnapshotJobParams, jobId: string, describeRequestId: string | null): Record<string, unknown> {
  return {
    volumeId: r.volumeId,
    sizeGiB: r.sizeGiB,
    encrypted: r.encrypted,
    kmsKeyId: r.kmsKeyId,
    startTime: r.startTime,
    completionTime: r.completionTime,
    state: r.state,
    ownerId: r.ownerId,
    instanceId: p.instanceId,
    copiedFrom: p.copiedFrom ?? null,
    createRequestId: p.createRequestId,
    describeRequestId,
    jobId,
  };
}

const FIRST_POLL_MS = 500;
const MAX_POLL_MS = 15_000;

function findConnection(ws: Workstation, caseId: string, p: SnapshotJobParams): LiveConnection {
  try {
    return getConnection(ws, caseId, p.connectionId);
  } catch {
    const same = listConnections(ws, caseId).find((c) => c.account === p.connectionAccount && c.endpoint === p.endpoint && c.regions.includes(p.region));
    if (same) return getConnection(ws, caseId, same.connectionId);
    throw new AppError('NOT_FOUND', `No AWS connection to account ${p.connectionAccount} in ${p.region} is open for this case; connect again (aws.connect) to wait for the snapshots`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function percent(s: Snapshot): number {
  if (s.State === 'completed') return 100;
  const n = Number.parseFloat(s.Progress ?? '0');
  return Number.isFinite(n) ? n : 0;
}

function toRef(s: Snapshot, region: string): AwsSnapshotRef {
  return {
    snapshotId: s.SnapshotId!,
    volumeId: s.VolumeId ?? null,
    state: s.State ?? 'unknown',
    sizeGiB: s.VolumeSize ?? null,
    encrypted: s.Encrypted ?? false,
    kmsKeyId: s.KmsKeyId ?? null,
    startTime: s.StartTime?.toISOString() ?? null,
    completionTime: s.CompletionTime?.toISOString() ?? null,
    ownerId: s.OwnerId ?? null,
    region,
    stateMessage: s.StateMessage ?? null,
  };
}

/** The aws.snapshot job handler; `ws` gives it the case's live AWS connections. */
export function snapshotJob(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    assertResumable(session: CaseSession, jobId: string) {
      findConnection(ws, session.id, jobParams<SnapshotJobParams>(session.db, jobId));
    },
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<SnapshotJobParams>(session.db, jobId);
      const conn = findConnection(ws, session.id, p);
      const ids = p.snapshots.map((s) => s.snapshotId);
      // items are percent points: the mean progress of the snapshots, as AWS reports it.
      ctx.progress({ phase: 'waiting', itemsDone: 0, itemsTotal: 100, message: `0% of ${ids.length} snapshot(s)` });
      const ec2 = ec2Client(conn, p.region);
      let latest: Snapshot[] = [];
      const requestIds: string[] = [];
      try {
        for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, Math.round(wait * 1.5))) {
          let out;
          try {
            out = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: ids }), { abortSignal: ctx.signal });
          } catch (err) {
            if (ctx.signal.aborted) throw ctx.signal.reason as Error;
            throw mapAwsError(err, `DescribeSnapshots ${ids.join(', ')}`, { endpoint: conn.info.endpoint });
          }
          if (out.$metadata.requestId) requestIds.push(out.$metadata.requestId);
          latest = out.Snapshots ?? [];
          const missing = ids.filter((id) => !latest.some((s) => s.SnapshotId === id));
          if (missing.length > 0) throw new AppError('NOT_FOUND', `Snapshot(s) ${missing.join(', ')} no longer exist in ${p.region}`);
          const failed = latest.find((s) => s.State === 'error');
          if (failed) throw new AppError('CONFLICT', `Snapshot ${failed.SnapshotId} failed in AWS: ${failed.StateMessage ?? 'state error'}`);
          const done = latest.filter((s) => s.State === 'completed').length;
          const mean = latest.reduce((a, s) => a + percent(s), 0) / latest.length;
          ctx.progress({ itemsDone: Math.round(mean), itemsTotal: 100, message: `${Math.round(mean)}% (${done} of ${ids.length} completed)` });
          if (done === ids.length) break;
          await sleep(wait, ctx.signal);
        }
      } finally {
        ec2.destroy();
      }
      const refs = ids.map((id) => toRef(latest.find((s) => s.SnapshotId === id)!, p.region));
      const describeRequestId = requestIds.at(-1) ?? null;
      session.db.transaction(() => {
        for (const r of refs) {
          const what = p.copiedFrom ? `copy of ${p.copiedFrom.snapshotId} (${p.copiedFrom.region})` : `of ${r.volumeId ?? '?'} on ${p.instanceId ?? '?'}`;
          const { artifactId } = sealCloudRef(
            session.db,
            actor(),
            {
              name: `EBS snapshot ${r.snapshotId}`,
              description: `EBS snapshot ${what}, ${r.sizeGiB ?? '?'} GiB, ${r.encrypted ? `encrypted with ${r.kmsKeyId ?? 'an unnamed key'}` : 'unencrypted'}; account ${r.ownerId ?? conn.info.account}, ${p.region}`,
              ref: { provider: 'aws', region: p.region, account: r.ownerId ?? conn.info.account, resourceId: r.snapshotId, resourceType: 'ebs-snapshot', metadata: metadataOf(r, p, jobId, describeRequestId) },
            },
            jobId,
            { source: 'aws' },
          );
          r.artifactId = artifactId;
          appendEvent(session.db, actor(), {
            action: 'aws.snapshot-completed',
            artifactId,
            details: { ...r, instanceId: p.instanceId, account: conn.info.account, jobId, createRequestId: p.createRequestId, describeRequestId, copiedFrom: p.copiedFrom },
          });
        }
      }).immediate();
      ws.emit({ kind: 'case.changed', caseId: session.id, what: 'artifacts' });
      ws.emit({ kind: 'case.changed', caseId: session.id, what: 'custody' });
      ctx.progress({ phase: 'done', itemsDone: 100, itemsTotal: 100, message: 'all snapshots completed' });
      return { snapshots: refs, polls: requestIds.length };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<SnapshotJobParams>(session.db, jobId);
      appendEvent(session.db, actor(), {
        action: 'aws.snapshots-left',
        details: {
          jobId,
          outcome,
          region: p.region,
          instanceId: p.instanceId,
          copiedFrom: p.copiedFrom,
          snapshotIds: p.snapshots.map((s) => s.snapshotId),
          note: 'Caseward stopped waiting; the snapshots stay in AWS (Caseward never deletes AWS objects).',
        },
      });
    },
  };
}
