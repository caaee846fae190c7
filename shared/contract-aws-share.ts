/**
 * The contract's snapshot hand-over operations (issue 3, item 5): share a snapshot with a forensic
 * account, copy it re-encrypted under a chosen KMS key, lock it. Merged into `channels` in
 * contract.ts. Each changes an AWS account, so each input carries `confirm: true`; a compliance
 * lock, which nobody can undo, also needs the snapshot id typed back.
 */
import { z } from 'zod';
import { caseRef, id, out, text } from './contract-kit.js';
import { awsRegion } from './contract-aws.js';

const snapshotId = z.string().regex(/^snap-[0-9a-f]{8,17}$/, 'Not an EBS snapshot id (snap-…)');
const accountId = z.string().regex(/^\d{12}$/, 'Not an AWS account id (12 digits)');
/** A KMS key id, key ARN, alias name or alias ARN, as CopySnapshot's KmsKeyId takes them. */
const kmsKeyId = z
  .string()
  .max(2048)
  .regex(
    /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+)$/,
    'Not a KMS key id, key ARN, alias (alias/…) or alias ARN',
  );

const confirm = (what: string) =>
  z.literal(true, { error: () => `This changes the AWS account: ${what}. Confirm it (confirm: true, or --confirm on the CLI)` });

/** Why a compliance-mode lock also needs the snapshot id typed back (shown when it is missing). */
export const COMPLIANCE_WARNING =
  'A compliance-mode lock cannot be removed or shortened by anyone (not even the account root user) once its cool-off period ends; the snapshot cannot be deleted until the lock expires';

/** The outcome of aws.snapshotShare. */
export interface AwsShareResult {
  snapshotId: string;
  region: string;
  accountId: string;
  /** shared; already (nothing to do); denied by the DryRun; refused by AWS (nothing changed). */
  outcome: 'shared' | 'already' | 'denied' | 'refused';
  encrypted: boolean;
  kmsKeyId: string | null;
  missingPermission?: string;
  /** AWS's error code when refused (OperationNotPermitted). */
  errorCode?: string;
  /** What happened, in plain words; for encrypted snapshots it explains the KMS key policy. */
  message: string;
  requestId: string | null;
  permissions: { before: string[]; after: string[] };
  /** When the share cannot work as is: the re-encrypted copy to make instead. */
  offer?: { channel: 'aws.snapshotCopy'; sourceSnapshotId: string; sourceRegion: string; reason: string };
}

/** A snapshot lock as AWS reports it (LockSnapshot / DescribeLockedSnapshots). */
export interface AwsSnapshotLock {
  lockState: string | null;
  lockMode: 'governance' | 'compliance';
  lockDurationDays: number | null;
  coolOffHours: number | null;
  coolOffPeriodExpiresOn: string | null;
  lockCreatedOn: string | null;
  lockExpiresOn: string | null;
}

/** The outcome of aws.snapshotLock. */
export interface AwsLockResult {
  snapshotId: string;
  region: string;
  outcome: 'locked' | 'denied';
  missingPermission?: string;
  message: string;
  requestId: string | null;
  before: AwsSnapshotLock | null;
  lock: AwsSnapshotLock | null;
  /** The cloud-ref artifact of the snapshot, when the case has one. */
  artifactId: string | null;
}

const conn = { ...caseRef, connectionId: id, region: awsRegion };

export const awsShareChannels = {
  /** Adds createVolumePermission for one account (ModifySnapshotAttribute), DryRun first. */
  'aws.snapshotShare': {
    input: z.object({
      ...conn,
      snapshotId,
      accountId,
      confirm: confirm('the snapshot becomes usable by the other account (createVolumePermission); that account can read all of its data'),
    }),
    output: out<AwsShareResult>(),
  },
  /** CopySnapshot re-encrypted with a chosen KMS key into `region`, tagged with the case; a job waits for it. */
  'aws.snapshotCopy': {
    input: z.object({
      ...conn,
      sourceSnapshotId: snapshotId,
      /** Default: `region` (a copy in the same region). */
      sourceRegion: awsRegion.optional(),
      kmsKeyId,
      description: text(255).optional(),
      confirm: confirm('a new EBS snapshot (an encrypted copy) is created in the account and kept; Caseward never deletes it'),
    }),
    output: out<{ jobId: string; snapshotId: string }>(),
  },
  /** LockSnapshot in governance or compliance mode for a number of days or until a date. */
  'aws.snapshotLock': {
    input: z
      .object({
        ...conn,
        snapshotId,
        mode: z.enum(['governance', 'compliance']),
        durationDays: z.number().int().min(1).max(36500).optional(),
        expirationDate: z.iso.datetime().optional(),
        coolOffHours: z.number().int().min(1).max(72).optional(),
        /** Compliance mode only: the snapshot id typed again. */
        typedConfirmation: text(64).optional(),
        confirm: confirm('the snapshot is locked against deletion for the lock period'),
      })
      .superRefine((v, ctx) => {
        if ((v.durationDays === undefined) === (v.expirationDate === undefined)) {
          ctx.addIssue({ code: 'custom', path: ['durationDays'], message: 'Give either durationDays or expirationDate (one of them)' });
        }
        if (v.coolOffHours !== undefined && v.mode !== 'compliance') {
          ctx.addIssue({ code: 'custom', path: ['coolOffHours'], message: 'A cool-off period applies to compliance mode only' });
        }
        if (v.mode === 'compliance' && v.typedConfirmation !== v.snapshotId) {
          ctx.addIssue({ code: 'custom', path: ['typedConfirmation'], message: `${COMPLIANCE_WARNING}. To confirm, type the snapshot id (${v.snapshotId}) as typedConfirmation (--typed-confirmation on the CLI)` });
        }
      }),
    output: out<AwsLockResult>(),
  },
} as const;
