/**
 * Snapshot hand-over commands of the CLI: share with a forensic account, copy re-encrypted, lock.
 * Each changes an AWS account, so each needs --confirm; a compliance lock also needs
 * --typed-confirmation with the snapshot id.
 */
import type { AwsSnapshotRef } from '../../shared/contract-aws-preserve.js';
import type { AwsLockResult, AwsShareResult } from '../../shared/contract-aws-share.js';
import { awsConnectionOptions, call, type CliCommand, CliFailure, type CliOptions, type CliValues, print, str, waitForJob, withCase } from './cli-support.js';
import { connectFor } from './commands-aws-preserve.js';

const common: CliOptions = { ...awsConnectionOptions, snapshot: { type: 'string' }, confirm: { type: 'boolean' } };

/** Usage lines of the snapshot hand-over commands. */
export const awsShareUsage = `
  aws-snapshot-share CASE --profile P --region R --snapshot snap-… --account 444455556666 --confirm
                                             let the forensic account use the snapshot (refused for aws/ebs-encrypted: copy it first)
  aws-snapshot-copy CASE --profile P --region R --snapshot snap-… [--source-region R0] --kms-key KEY [--description D] --confirm
                                             copy re-encrypted with KEY into R, tagged with the case, waited for; becomes an artifact
  aws-snapshot-lock CASE --profile P --region R --snapshot snap-… --mode governance|compliance (--days N | --until ISO) [--cool-off H]
                    [--typed-confirmation snap-…] --confirm   lock against deletion (compliance cannot be undone)
`;

function int(v: CliValues, key: string): number | undefined {
  const x = str(v, key);
  if (x === undefined) return undefined;
  if (!/^\d+$/.test(x)) throw new CliFailure({ code: 'INVALID_INPUT', message: `--${key} must be a whole number (got ${x})` });
  return Number(x);
}

function shareText(r: AwsShareResult): string {
  const lines = [`${r.outcome.toUpperCase()}${r.missingPermission ? ` (missing ${r.missingPermission})` : ''}: ${r.message}`];
  if (r.requestId) lines.push(`  ec2:ModifySnapshotAttribute request ${r.requestId}`);
  if (r.offer) lines.push(`  Instead: caseward aws-snapshot-copy CASE --region ${r.offer.sourceRegion} --snapshot ${r.offer.sourceSnapshotId} --kms-key <customer managed key> --confirm`);
  return lines.join('\n');
}

function lockText(r: AwsLockResult): string {
  return [`${r.outcome.toUpperCase()}${r.missingPermission ? ` (missing ${r.missingPermission})` : ''}: ${r.message}`, ...(r.requestId ? [`  ec2:LockSnapshot request ${r.requestId}`] : [])].join('\n');
}

const confirmed = (v: CliValues) => (v.confirm === true) as true;

export const awsShareCommands: Record<string, CliCommand> = {
  'aws-snapshot-share': {
    options: { ...common, account: { type: 'string' } },
    async run([folder], v, io) {
      const r = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        return call(io, 'aws.snapshotShare', { caseId, connectionId: conn.connectionId, region: conn.regions[0]!, snapshotId: str(v, 'snapshot') ?? '', accountId: str(v, 'account') ?? '', confirm: confirmed(v) });
      });
      print(io, r, () => shareText(r));
      return r.outcome === 'shared' || r.outcome === 'already' ? 0 : 1;
    },
  },
  'aws-snapshot-copy': {
    options: { ...common, 'source-region': { type: 'string' }, 'kms-key': { type: 'string' }, description: { type: 'string' } },
    async run([folder], v, io) {
      const refs = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        const { jobId, snapshotId } = await call(io, 'aws.snapshotCopy', {
          caseId,
          connectionId: conn.connectionId,
          region: conn.regions[0]!,
          sourceSnapshotId: str(v, 'snapshot') ?? '',
          sourceRegion: str(v, 'source-region'),
          kmsKeyId: str(v, 'kms-key') ?? '',
          description: str(v, 'description'),
          confirm: confirmed(v),
        });
        if (!io.json) io.err(`Copying into ${snapshotId}; waiting for it to complete`);
        const job = await waitForJob(io, caseId, jobId);
        if (job.state === 'cancelled') throw new CliFailure({ code: 'CANCELLED', message: `Stopped waiting; the copy ${snapshotId} stays in AWS` });
        if (job.state !== 'succeeded') throw new CliFailure({ code: 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        return (job.result as { snapshots: AwsSnapshotRef[] }).snapshots;
      });
      print(io, refs, () => refs.map((s) => `${s.snapshotId}  ${s.sizeGiB ?? '?'} GiB  encrypted ${s.kmsKeyId ?? ''}  completed ${s.completionTime ?? '?'}  artifact ${s.artifactId ?? '-'}`).join('\n'));
      return 0;
    },
  },
  'aws-snapshot-lock': {
    options: { ...common, mode: { type: 'string' }, days: { type: 'string' }, until: { type: 'string' }, 'cool-off': { type: 'string' }, 'typed-confirmation': { type: 'string' } },
    async run([folder], v, io) {
      const mode = str(v, 'mode');
      if (mode !== 'governance' && mode !== 'compliance') throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --mode governance or --mode compliance' });
      const r = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        return call(io, 'aws.snapshotLock', {
          caseId,
          connectionId: conn.connectionId,
          region: conn.regions[0]!,
          snapshotId: str(v, 'snapshot') ?? '',
          mode,
          durationDays: int(v, 'days'),
          expirationDate: str(v, 'until'),
          coolOffHours: int(v, 'cool-off'),
          typedConfirmation: str(v, 'typed-confirmation'),
          confirm: confirmed(v),
        });
      });
      print(io, r, () => lockText(r));
      return r.outcome === 'locked' ? 0 : 1;
    },
  },
};
