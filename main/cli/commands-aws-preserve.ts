/**
 * AWS preservation commands of the CLI. They change the subject account, so each needs --confirm;
 * without it the contract refuses (INVALID_INPUT) and says what would have happened.
 */
import type { AwsConnection } from '../../shared/contract-aws.js';
import type { AwsPreserveResult, AwsSnapshotRef } from '../../shared/contract-aws-preserve.js';
import type { InputOf } from '../../shared/contract.js';
import { awsConnectionOptions, call, type CliCommand, CliFailure, type CliIo, type CliOptions, type CliValues, print, str, waitForJob, withCase } from './cli-support.js';

const targetOptions: CliOptions = { ...awsConnectionOptions, instance: { type: 'string' }, confirm: { type: 'boolean' } };

/** Usage lines of the AWS preservation commands. */
export const awsPreserveUsage = `
  aws-preserve CASE --profile P --region R --instance i-… [--tag] [--protect] [--keep-volumes] [--isolate | --isolate-group sg-…] --confirm
                                             tag, protect from termination, keep volumes on termination, isolate (DryRun first; recorded)
  aws-restore-groups CASE --profile P --region R --instance i-… --confirm   put back the groups the last isolation recorded
  aws-snapshot CASE --profile P --region R --instance i-… [--volume vol-…]… [--description D] --confirm
                                             crash-consistent EBS snapshots, waited for (Ctrl-C stops waiting; the snapshots stay)
`;

/** Connects the open case with --profile/--region/--endpoint, saying who it acts as. */
export async function connectFor(io: CliIo, caseId: string, v: CliValues): Promise<AwsConnection> {
  const profile = str(v, 'profile');
  const region = str(v, 'region');
  if (!profile || !region) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --profile NAME (or environment) and --region R' });
  const conn = await call(io, 'aws.connect', { caseId, profile, regions: [region], endpoint: str(v, 'endpoint') });
  if (!io.json) io.err(`Connected as ${conn.arn} (account ${conn.account}) in ${region}`);
  return conn;
}

/** The common fields; confirm is passed through as given so the contract explains a missing one. */
function target(caseId: string, conn: AwsConnection, v: CliValues) {
  return { caseId, connectionId: conn.connectionId, region: conn.regions[0]!, instanceId: str(v, 'instance') ?? '', confirm: (v.confirm === true) as true };
}

function preserveText(r: AwsPreserveResult): string {
  return r.results
    .map((a) => [`${a.action}: ${a.outcome.toUpperCase()}${a.missingPermission ? ` (missing ${a.missingPermission})` : ''}${a.message ? ` — ${a.message}` : ''}`, ...a.calls.map((c) => `  ${c.api} request ${c.requestId ?? '?'}`)].join('\n'))
    .join('\n');
}

export const awsPreserveCommands: Record<string, CliCommand> = {
  'aws-preserve': {
    options: { ...targetOptions, tag: { type: 'boolean' }, protect: { type: 'boolean' }, 'keep-volumes': { type: 'boolean' }, isolate: { type: 'boolean' }, 'isolate-group': { type: 'string' } },
    async run([folder], v, io) {
      const r = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        const group = str(v, 'isolate-group');
        const actions: InputOf<'aws.preserve'>['actions'] = {
          tag: v.tag === true || undefined,
          terminationProtection: v.protect === true || undefined,
          deleteOnTerminationFalse: v['keep-volumes'] === true || undefined,
          isolate: group ? { securityGroupId: group } : v.isolate === true ? { create: true } : undefined,
        };
        return call(io, 'aws.preserve', { ...target(caseId, conn, v), actions });
      });
      print(io, r, () => preserveText(r));
      return r.results.every((a) => a.outcome === 'done') ? 0 : 1;
    },
  },
  'aws-restore-groups': {
    options: targetOptions,
    async run([folder], v, io) {
      const r = await withCase(io, folder, async (caseId) => call(io, 'aws.restoreGroups', target(caseId, await connectFor(io, caseId, v), v)));
      print(io, r, () =>
        r.outcome === 'denied'
          ? `DENIED (missing ${r.missingPermission}); nothing was changed`
          : r.restored.map((x) => `${x.networkInterfaceId}: ${x.before.join(',')} → ${x.after.join(',')}`).join('\n'),
      );
      return r.outcome === 'done' ? 0 : 1;
    },
  },
  'aws-snapshot': {
    options: { ...targetOptions, volume: { type: 'string', multiple: true }, description: { type: 'string' } },
    async run([folder], v, io) {
      const refs = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        const volumes = v.volume as string[] | undefined;
        const { jobId, snapshotIds } = await call(io, 'aws.snapshot', { ...target(caseId, conn, v), volumeIds: volumes?.length ? volumes : undefined, description: str(v, 'description') });
        if (!io.json) io.err(`Created ${snapshotIds.join(', ')}; waiting for them to complete`);
        const job = await waitForJob(io, caseId, jobId);
        if (job.state === 'cancelled') throw new CliFailure({ code: 'CANCELLED', message: `Stopped waiting; the snapshots ${snapshotIds.join(', ')} stay in AWS` });
        if (job.state !== 'succeeded') throw new CliFailure({ code: 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        return (job.result as { snapshots: AwsSnapshotRef[] }).snapshots;
      });
      print(io, refs, () => refs.map((s) => `${s.snapshotId}  ${s.volumeId ?? '-'}  ${s.sizeGiB ?? '?'} GiB  ${s.encrypted ? `encrypted ${s.kmsKeyId ?? ''}` : 'unencrypted'}  completed ${s.completionTime ?? '?'}`).join('\n'));
      return 0;
    },
  },
};
