/**
 * aws.snapshotLock: EBS snapshot lock (LockSnapshot) so the evidence snapshot cannot be deleted for
 * the lock period. Governance mode can be removed by a user with ec2:UnlockSnapshot; compliance
 * mode cannot be removed or shortened by anyone once its cool-off ends, so the contract asks for
 * the snapshot id typed back. The lock before and after is recorded with the request id.
 */
import { DescribeLockedSnapshotsCommand, LockSnapshotCommand, type LockSnapshotCommandOutput, type LockState } from '@aws-sdk/client-ec2';
import type { AwsLockResult, AwsSnapshotLock } from '../../../../shared/contract-aws-share.js';
import type { Workstation } from '../../workstation/workstation.js';
import { send, type Ec2Command } from '../preserve/guarded-call.js';
import { preflight, recordSnapshotEvent, withSnapshotCtx, type SnapshotCtx } from './snapshot-call.js';

/** The lock to apply. */
export interface LockRequest {
  caseId: string;
  connectionId: string;
  region: string;
  snapshotId: string;
  mode: 'governance' | 'compliance';
  durationDays?: number;
  expirationDate?: string;
  coolOffHours?: number;
}

const API = 'ec2:LockSnapshot';

interface LockFields {
  LockState?: LockState | string;
  LockDuration?: number;
  CoolOffPeriod?: number;
  CoolOffPeriodExpiresOn?: Date;
  LockCreatedOn?: Date;
  LockExpiresOn?: Date;
}

function toLock(o: LockFields, mode: 'governance' | 'compliance'): AwsSnapshotLock {
  return {
    lockState: o.LockState ?? null,
    lockMode: mode,
    lockDurationDays: o.LockDuration ?? null,
    coolOffHours: o.CoolOffPeriod ?? null,
    coolOffPeriodExpiresOn: o.CoolOffPeriodExpiresOn?.toISOString() ?? null,
    lockCreatedOn: o.LockCreatedOn?.toISOString() ?? null,
    lockExpiresOn: o.LockExpiresOn?.toISOString() ?? null,
  };
}

/** The snapshot's current lock, or null; unknown (and said so) when DescribeLockedSnapshots is denied. */
async function currentLock(c: SnapshotCtx, snapshotId: string): Promise<{ lock: AwsSnapshotLock | null; known: boolean; requestId: string | null }> {
  try {
    const out = await c.ec2.send(new DescribeLockedSnapshotsCommand({ SnapshotIds: [snapshotId] }));
    const s = out.Snapshots?.find((x) => x.SnapshotId === snapshotId);
    const mode = s?.LockState?.startsWith('compliance') ? 'compliance' : 'governance';
    return { lock: s ? toLock(s, mode) : null, known: true, requestId: out.$metadata.requestId ?? null };
  } catch {
    // The prior lock is for the record only; not being allowed to read it must not stop the lock.
    return { lock: null, known: false, requestId: null };
  }
}

/** DryRuns, locks and records 'aws.snapshot-locked'. */
export async function lockSnapshot(ws: Workstation, req: LockRequest): Promise<AwsLockResult> {
  const result = await withSnapshotCtx(ws, req, async (c): Promise<AwsLockResult> => {
    const make: Ec2Command = (DryRun) =>
      new LockSnapshotCommand({
        DryRun,
        SnapshotId: req.snapshotId,
        LockMode: req.mode,
        LockDuration: req.durationDays,
        ExpirationDate: req.expirationDate ? new Date(req.expirationDate) : undefined,
        CoolOffPeriod: req.coolOffHours,
      });
    const denied = await preflight(c, 'lock', API, req.snapshotId, make);
    if (denied) return { snapshotId: req.snapshotId, region: req.region, outcome: 'denied', ...denied, requestId: null, before: null, lock: null, artifactId: null };
    const before = await currentLock(c, req.snapshotId);
    const { out, requestId } = await send<LockSnapshotCommandOutput>(c.ec2, API, make, c.conn.info.endpoint);
    const lock = toLock(out, req.mode);
    const artifactId = recordSnapshotEvent(c, 'aws.snapshot-locked', req.snapshotId, {
      api: API,
      requestId,
      mode: req.mode,
      durationDays: req.durationDays ?? null,
      expirationDate: req.expirationDate ?? null,
      coolOffHours: req.coolOffHours ?? null,
      // Compliance locks were confirmed by typing the snapshot id (checked by the contract).
      typedConfirmation: req.mode === 'compliance',
      before: before.known ? before.lock : 'unknown (ec2:DescribeLockedSnapshots failed)',
      beforeRequestId: before.requestId,
      lock,
    });
    const until = lock.lockExpiresOn ?? '?';
    const coolOff = lock.coolOffPeriodExpiresOn ? ` It can still be changed during the cool-off period, until ${lock.coolOffPeriodExpiresOn}.` : '';
    const message =
      req.mode === 'compliance'
        ? `${req.snapshotId} is locked in compliance mode until ${until}: nobody can delete it or remove the lock before then.${coolOff}`
        : `${req.snapshotId} is locked in governance mode until ${until}: a user with ec2:UnlockSnapshot can still remove the lock.`;
    return { snapshotId: req.snapshotId, region: req.region, outcome: 'locked', message, requestId, before: before.lock, lock, artifactId };
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return result;
}
