/**
 * The contract's AWS connection, discovery and permission-preflight operations (issue 3, items 1–3);
 * merged into `channels` in contract.ts. No credential ever appears in these shapes: the renderer
 * sees profile names and kinds only.
 */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';

/** AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1, … */
export const awsRegion = z
  .string()
  .max(32)
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'Not an AWS region name (e.g. us-east-1)');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An endpoint override: https, or http on the loopback interface only (emulators and tests). */
export const awsEndpoint = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return !u.username && !u.password && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
    } catch {
      return false;
    }
  }, 'The endpoint must be an https:// URL (http:// only for 127.0.0.1 or localhost), without user name or password');

const regionList = z.array(awsRegion).min(1).max(20);
/** A profile name as the AWS config files allow it, or 'environment' for the default credential chain. */
const profileName = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_.@+=,:/-]+$/, 'Not a valid AWS profile name');
const instanceId = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'Not an EC2 instance id (i-…)');
const snapshotId = z.string().regex(/^snap-[0-9a-f]{8,17}$/, 'Not an EBS snapshot id (snap-…)');

export const awsDiscoverKinds = ['instances', 'volumes', 'snapshots'] as const;
export type AwsDiscoverKind = (typeof awsDiscoverKinds)[number];
export const awsPreflightActions = ['tag', 'protect', 'snapshot', 'isolate'] as const;
export type AwsPreflightAction = (typeof awsPreflightActions)[number];

/** How a profile gets its credentials (never the credentials themselves). */
export type AwsProfileKind = 'static' | 'sso' | 'assume-role' | 'credential-process' | 'web-identity' | 'env' | 'other';

/** One profile from the AWS config/credentials files, or the environment. */
export interface AwsProfileInfo {
  name: string;
  kind: AwsProfileKind;
  /** Which file(s) define it ('environment' for the env entry). */
  source: 'config' | 'credentials' | 'both' | 'environment';
  region?: string;
  /** Assume-role: the role and where the source credentials come from. */
  roleArn?: string;
  sourceProfile?: string;
  credentialSource?: string;
  /** SSO: the session or start URL, account and role (no tokens). */
  ssoSession?: string;
  ssoStartUrl?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  mfa?: boolean;
}

export interface AwsProfiles {
  configFile: string;
  credentialsFile: string;
  profiles: AwsProfileInfo[];
}

export interface AwsConnection {
  connectionId: string;
  profile: string;
  account: string;
  arn: string;
  userId: string;
  regions: string[];
  endpoint: string | null;
  connectedAt: string;
}

export interface AwsTag {
  key: string;
  value: string;
}

export interface AwsInstanceSummary {
  instanceId: string;
  name: string | null;
  tags: AwsTag[];
  state: string | null;
  instanceType: string | null;
  availabilityZone: string | null;
  launchTime: string | null;
  privateIpAddress: string | null;
  publicIpAddress: string | null;
  securityGroups: { groupId: string; groupName: string | null }[];
  iamInstanceProfileArn: string | null;
  volumes: { volumeId: string; deviceName: string | null; deleteOnTermination: boolean | null }[];
}

export interface AwsVolumeSummary {
  volumeId: string;
  name: string | null;
  tags: AwsTag[];
  sizeGiB: number | null;
  volumeType: string | null;
  state: string | null;
  availabilityZone: string | null;
  encrypted: boolean;
  kmsKeyId: string | null;
  snapshotId: string | null;
  createTime: string | null;
  attachments: { instanceId: string | null; device: string | null; state: string | null; deleteOnTermination: boolean | null }[];
}

export interface AwsSnapshotSummary {
  snapshotId: string;
  name: string | null;
  tags: AwsTag[];
  volumeId: string | null;
  volumeSizeGiB: number | null;
  state: string | null;
  progress: string | null;
  startTime: string | null;
  encrypted: boolean;
  kmsKeyId: string | null;
  description: string | null;
  ownerId: string | null;
}

/** One listing of one kind in one region; `truncated` when the cap stopped it before the last page. */
export interface AwsListing<T> {
  items: T[];
  truncated: boolean;
  pages: number;
}

export interface AwsRegionDiscovery {
  region: string;
  instances?: AwsListing<AwsInstanceSummary>;
  volumes?: AwsListing<AwsVolumeSummary>;
  snapshots?: AwsListing<AwsSnapshotSummary>;
  /** A kind that failed in this region (denied, throttled…), without failing the others. */
  errors: { kind: AwsDiscoverKind; code: string; message: string }[];
}

export interface AwsDiscovery {
  account: string;
  discoveredAt: string;
  regions: AwsRegionDiscovery[];
}

/** One part of the instance detail: its value, or why it could not be read. */
export type AwsPart<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface AwsInstanceDetail {
  region: string;
  instanceId: string;
  summary: AwsInstanceSummary;
  /** The DescribeInstances record as the SDK returned it (dates as ISO strings). */
  describe: Record<string, unknown>;
  attributes: AwsPart<{
    disableApiTermination: boolean | null;
    instanceInitiatedShutdownBehavior: string | null;
    userData: { text: string; sha256: string; bytes: number } | null;
  }>;
  volumes: AwsPart<AwsVolumeSummary[]>;
  securityGroups: AwsPart<Record<string, unknown>[]>;
  networkInterfaces: AwsPart<Record<string, unknown>[]>;
  iam: AwsPart<{
    instanceProfile: Record<string, unknown>;
    roles: {
      roleName: string;
      arn: string;
      attachedPolicies: AwsPart<{ policyName: string; policyArn: string; defaultVersionId: string | null; document: unknown }[]>;
      inlinePolicies: AwsPart<{ policyName: string; document: unknown }[]>;
    }[];
  }> | null;
  requestIds: string[];
}

export interface AwsPreflightResult {
  action: AwsPreflightAction | 'image';
  /** The API calls checked, e.g. ec2:CreateSnapshots. */
  calls: { api: string; outcome: 'allowed' | 'denied' | 'unknown'; missingPermission?: string; message?: string; requestId?: string }[];
  outcome: 'allowed' | 'denied' | 'unknown';
}

export interface AwsPreflight {
  region: string;
  instanceId: string;
  results: AwsPreflightResult[];
}

const connRef = { ...caseRef, connectionId: id };

export const awsChannels = {
  'aws.profiles': { input: z.object({}), output: out<AwsProfiles>() },
  'aws.connect': {
    input: z.object({
      ...caseRef,
      profile: profileName,
      regions: regionList,
      endpoint: awsEndpoint.optional(),
    }),
    output: out<AwsConnection>(),
  },
  'aws.connections': { input: z.object(caseRef), output: out<AwsConnection[]>() },
  'aws.disconnect': { input: z.object(connRef), output: out<null>() },
  'aws.discover': {
    input: z.object({
      ...connRef,
      regions: regionList.optional(),
      kinds: z.array(z.enum(awsDiscoverKinds)).min(1).max(3).default([...awsDiscoverKinds]),
      filter: z
        .object({
          text: z.string().trim().min(1).max(200).optional(),
          tag: z.object({ key: z.string().min(1).max(128), value: z.string().max(256).optional() }).optional(),
        })
        .strict()
        .optional(),
      /** Most items per kind and region; the listing says `truncated` when more existed. */
      limit: z.number().int().min(1).max(10_000).default(1000),
    }),
    output: out<AwsDiscovery>(),
  },
  'aws.instance': {
    input: z.object({ ...connRef, region: awsRegion, instanceId }),
    output: out<AwsInstanceDetail>(),
  },
  'aws.preflight': {
    input: z.object({
      ...connRef,
      region: awsRegion,
      instanceId,
      actions: z.array(z.enum(awsPreflightActions)).min(1).max(4),
    }),
    output: out<AwsPreflight>(),
  },
  /** Images a completed EBS snapshot into the case as a raw image artifact (a job; see docs/ebs-imaging.md). */
  'aws.image': {
    input: z.object({
      ...connRef,
      region: awsRegion,
      snapshotId,
      /** Most block requests in flight (the engine adapts below it). */
      concurrency: z.number().int().min(1).max(256).default(64),
    }),
    output: out<{ jobId: string; artifactId: string }>(),
  },
} as const;
