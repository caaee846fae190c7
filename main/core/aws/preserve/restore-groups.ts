/**
 * aws.restoreGroups: undoes the last isolation of an instance from what custody recorded. A
 * per-interface isolation left several `aws.isolated` events with one isolationId (only those of the
 * interfaces that did change, if it stopped part-way); each interface gets its groups back.
 */
import { ModifyInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import type { AwsRestoreGroupsResult } from '../../../../shared/contract-aws-preserve.js';
import { AppError } from '../../../../shared/errors.js';
import { listEvents } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { dryRun, send, type Ec2Command } from './guarded-call.js';
import { modifyInterface } from './isolate.js';
import { describe, enis, failedRequestId, record, withEc2, type Ctx, type InstanceTarget } from './preserve-kit.js';

const MNIA = 'ec2:ModifyNetworkInterfaceAttribute';

/** One interface's recorded groups, with the seq of the event that recorded them. */
interface Recorded {
  networkInterfaceId: string;
  groupIds: string[];
  seq: number;
}

/** The interfaces (and their old groups) of the last isolation of the instance in custody. */
function lastIsolation(ws: Workstation, req: InstanceTarget): { seq: number; previous: Recorded[] } {
  const isolated = listEvents(ws.get(req.caseId).session.db).events.filter(
    (e) => e.action === 'aws.isolated' && e.details.instanceId === req.instanceId && e.details.region === req.region,
  );
  const last = isolated.at(-1);
  if (!last) throw new AppError('NOT_FOUND', `No isolation of ${req.instanceId} in ${req.region} is recorded in this case's custody`);
  const id = last.details.isolationId;
  const batch = typeof id === 'string' ? isolated.filter((e) => e.details.isolationId === id) : [last];
  const previous = batch.flatMap((e) =>
    ((e.details.previousGroups ?? []) as { networkInterfaceId: string; groupIds: string[] }[]).map((p) => ({ networkInterfaceId: p.networkInterfaceId, groupIds: p.groupIds ?? [], seq: e.seq })),
  );
  if (previous.length === 0 || previous.some((p) => p.groupIds.length === 0 || !p.networkInterfaceId)) {
    throw new AppError('CONFLICT', `The isolation event #${last.seq} does not record every interface's groups; restore them by hand`);
  }
  return { seq: last.seq, previous };
}

/** Puts back the groups the last isolation of the instance recorded, interface by interface when needed. */
export async function restoreGroups(ws: Workstation, req: InstanceTarget): Promise<AwsRestoreGroupsResult> {
  const { seq, previous } = lastIsolation(ws, req);
  try {
    return await withEc2(ws, req, async (c): Promise<AwsRestoreGroupsResult> => {
    const current = enis(await describe(c));
    const groupsNow = (id: string) => current.find((n) => n.networkInterfaceId === id)?.groupIds ?? [];
    const only = previous[0]!;
    // ModifyInstanceAttribute works only while the instance has exactly that one interface.
    if (previous.length === 1 && current.length === 1 && current[0]!.networkInterfaceId === only.networkInterfaceId) {
      const make: Ec2Command = (DryRun) => new ModifyInstanceAttributeCommand({ DryRun, InstanceId: req.instanceId, Groups: only.groupIds });
      const d = await dryRun(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
      if (!d.allowed) return denied(c, req, 'ec2:ModifyInstanceAttribute', d);
      const { requestId } = await send(c.ec2, 'ec2:ModifyInstanceAttribute', make, c.conn.info.endpoint);
      const restored = [{ networkInterfaceId: only.networkInterfaceId, before: groupsNow(only.networkInterfaceId), after: only.groupIds }];
      const after = [{ networkInterfaceId: only.networkInterfaceId, groupIds: only.groupIds }];
      record(c, 'aws.groups-restored', { api: 'ec2:ModifyInstanceAttribute', requestId, isolationEventSeq: seq, before: restored.map((r) => ({ networkInterfaceId: r.networkInterfaceId, groupIds: r.before })), after });
      return { region: req.region, instanceId: req.instanceId, outcome: 'done', restored, requestIds: requestId ? [requestId] : [] };
    }
    for (const p of previous) {
      const d = await dryRun(c.ec2, MNIA, modifyInterface(p.networkInterfaceId, p.groupIds), c.conn.info.endpoint);
      if (!d.allowed) return denied(c, req, MNIA, d, p.networkInterfaceId);
    }
    return restoreEach(c, req, previous, groupsNow);
    });
  } finally {
    // A restore that stopped part-way has still written custody events.
    ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  }
}

function denied(c: Ctx, req: InstanceTarget, api: string, d: { missingPermission: string; requestId: string | null }, networkInterfaceId?: string): AwsRestoreGroupsResult {
  record(c, 'aws.preserve-denied', { preserveAction: 'restoreGroups', api, missingPermission: d.missingPermission, requestId: d.requestId, ...(networkInterfaceId ? { networkInterfaceId } : {}) });
  return { region: req.region, instanceId: req.instanceId, outcome: 'denied', missingPermission: d.missingPermission, restored: [], requestIds: [] };
}

/** One call per interface; a failure stops, is recorded, and tells what is back and what is not. */
async function restoreEach(c: Ctx, req: InstanceTarget, previous: Recorded[], groupsNow: (id: string) => string[]): Promise<AwsRestoreGroupsResult> {
  const restored: AwsRestoreGroupsResult['restored'] = [];
  const requestIds: string[] = [];
  for (const [i, p] of previous.entries()) {
    const before = groupsNow(p.networkInterfaceId);
    try {
      const { requestId } = await send(c.ec2, MNIA, modifyInterface(p.networkInterfaceId, p.groupIds), c.conn.info.endpoint);
      record(c, 'aws.groups-restored', {
        api: MNIA, requestId, isolationEventSeq: p.seq, networkInterfaceId: p.networkInterfaceId,
        before: [{ networkInterfaceId: p.networkInterfaceId, groupIds: before }], after: [{ networkInterfaceId: p.networkInterfaceId, groupIds: p.groupIds }],
      });
      restored.push({ networkInterfaceId: p.networkInterfaceId, before, after: p.groupIds });
      if (requestId) requestIds.push(requestId);
    } catch (err) {
      const rest = previous.slice(i + 1).map((x) => x.networkInterfaceId);
      record(c, 'aws.restore-incomplete', {
        api: MNIA, requestId: failedRequestId(err), restored: restored.map((r) => r.networkInterfaceId),
        failed: { networkInterfaceId: p.networkInterfaceId, error: (err as Error).message }, notAttempted: rest,
      });
      const back = restored.length > 0 ? `Groups are back on ${restored.map((r) => r.networkInterfaceId).join(', ')}. ` : '';
      const left = [p.networkInterfaceId, ...rest].join(', ');
      const code = err instanceof AppError ? err.code : 'INTERNAL';
      throw new AppError(code, `Restoring the groups stopped at ${p.networkInterfaceId}: ${(err as Error).message} ${back}Still isolated: ${left}. Running Restore groups again re-applies the recorded groups to every interface.`, { cause: err });
    }
  }
  return { region: req.region, instanceId: req.instanceId, outcome: 'done', restored, requestIds };
}
