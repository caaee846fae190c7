/**
 * The contract's AWS preservation and snapshot operations (issue 3, items 4–5); merged into
 * `channels` in contract.ts. Every one of them changes the examiner's subject account, so each
 * input carries `confirm: true`: the examiner confirms in the UI or on the CLI, never by default.
 */
import { z } from 'zod';
import { caseRef, id, out, text } from './contract-kit.js';
import { awsRegion } from './contract-aws.js';

const instanceId = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'Not an EC2 instance id (i-…)');
const volumeId = z.string().regex(/^vol-[0-9a-f]{8,17}$/, 'Not an EBS volume id (vol-…)');
const groupId = z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'Not a security group id (sg-…)');

/** A literal true; the message says what would happen, since that is why it is asked for. */
const confirm = (what: string) =>
  z.literal(true, { error: () => `This changes the AWS account: ${what}. Confirm it (confirm: true, or --confirm on the CLI)` });

export const awsPreserveActions = ['tag', 'terminationProtection', 'deleteOnTerminationFalse', 'isolate'] as const;
export type AwsPreserveAction = (typeof awsPreserveActions)[number];

/** One AWS call a preservation action made (or would have made). */
export interface AwsPreserveCall {
  api: string;
  requestId: string | null;
  /** What changed, before → after, as recorded in custody. */
  before?: unknown;
  after?: unknown;
}

/** One action's result: done, denied by the DryRun (nothing changed), or failed part-way. */
export interface AwsPreserveActionResult {
  action: AwsPreserveAction;
  outcome: 'done' | 'denied' | 'failed';
  missingPermission?: string;
  message?: string;
  calls: AwsPreserveCall[];
}

export interface AwsPreserveResult {
  region: string;
  instanceId: string;
  results: AwsPreserveActionResult[];
}

export interface AwsRestoreGroupsResult {
  region: string;
  instanceId: string;
  outcome: 'done' | 'denied';
  missingPermission?: string;
  restored: { networkInterfaceId: string; before: string[]; after: string[] }[];
  requestIds: string[];
}

/** One completed (or failed) snapshot of an aws.snapshot job: a cloud reference, not a file artifact. */
export interface AwsSnapshotRef {
  snapshotId: string;
  volumeId: string | null;
  state: string;
  sizeGiB: number | null;
  encrypted: boolean;
  kmsKeyId: string | null;
  startTime: string | null;
  completionTime: string | null;
  ownerId: string | null;
  region: string;
  stateMessage?: string | null;
  /** The cloud-ref artifact the completed snapshot became. */
  artifactId?: string;
}

const target = { ...caseRef, connectionId: id, region: awsRegion, instanceId };

export const awsPreserveChannels = {
  /** Tags, protects and/or isolates an instance; DryRun first, one custody event per AWS call. */
  'aws.preserve': {
    input: z.object({
      ...target,
      actions: z
        .object({
          tag: z.boolean().optional(),
          terminationProtection: z.boolean().optional(),
          deleteOnTerminationFalse: z.boolean().optional(),
          isolate: z.union([z.object({ securityGroupId: groupId }).strict(), z.object({ create: z.literal(true) }).strict()]).optional(),
        })
        .strict()
        .refine((a) => a.tag || a.terminationProtection || a.deleteOnTerminationFalse || a.isolate, 'Choose at least one action'),
      confirm: confirm('the chosen preservation actions are applied to the instance (tags, termination protection, DeleteOnTermination, security groups)'),
    }),
    output: out<AwsPreserveResult>(),
  },
  /** Puts back the security groups the last aws.isolated event recorded for the instance. */
  'aws.restoreGroups': {
    input: z.object({ ...target, confirm: confirm("the instance's network interfaces get back the security groups recorded before isolation") }),
    output: out<AwsRestoreGroupsResult>(),
  },
  /** Crash-consistent snapshots of the instance's volumes (CreateSnapshots), then a job that waits for them. */
  'aws.snapshot': {
    input: z.object({
      ...target,
      volumeIds: z.array(volumeId).min(1).max(40).optional(),
      description: text(255).optional(),
      confirm: confirm('EBS snapshots of the instance volumes are created in the account (they are kept; Caseward never deletes them)'),
    }),
    output: out<{ jobId: string; snapshotIds: string[] }>(),
  },
} as const;
