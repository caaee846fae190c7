/**
 * The contract's log acquisition operations (issue 4, items 1 and 6): CloudTrail and VPC flow logs
 * from S3, CloudTrail's event history (LookupEvents), VPC flow logs from CloudWatch Logs, and the
 * acquired trail gathered into logs.validate's input. Merged into `channels` in contract.ts.
 */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';
import { awsRegion } from './contract-aws.js';

/** A UTC instant with a zone; a time without one would be a guess, so it is refused. */
const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'Time must be ISO-8601 with a zone, e.g. 2024-07-31T13:06:24Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a valid time');
const connRef = { ...caseRef, connectionId: id };
const account = z.string().regex(/^\d{12}$/, 'An AWS account id has 12 digits');
/** S3 bucket naming rules (lower case, digits, dots and hyphens, 3–63 characters). */
const bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'Not an S3 bucket name');

/** How one listed S3 object ended. */
export interface S3AcquireFileResult {
  key: string;
  fileKind: 'cloudtrail-log' | 'cloudtrail-digest' | 'vpc-flow-log';
  /** corrupt: acquired and sealed as S3 holds it, but its gzip does not inflate (message says where). */
  status: 'acquired' | 'skipped' | 'failed' | 'corrupt';
  artifactId: string | null;
  message: string | null;
}

/** The CloudTrail files and keys acquired into a case, in the shape logs.validate takes. */
export interface AcquiredTrail {
  logs: { artifactId: string; s3Bucket: string; s3Key: string }[];
  digests: { artifactId: string; s3Bucket: string; s3Key: string; signatureHex: string | null; signatureAlgorithm: string | null; backfillGenerationTimestamp: string | null }[];
  publicKeys: { fingerprint: string; value: string; validityStart: string | null; validityEnd: string | null }[];
  /** The public-key artifacts the keys came from. */
  publicKeyArtifactIds: string[];
}

const range = { from: instant, to: instant };
const rangeOrdered = (v: { from: string; to: string }) => Date.parse(v.from) < Date.parse(v.to);
const rangeMessage = { message: '`from` must be before `to`', path: ['to'] };

export const logsAcquireChannels = {
  'logs.acquireS3': {
    input: z
      .object({
        ...connRef,
        /** Region the bucket lives in (the S3 client signs for it). */
        region: awsRegion,
        bucket,
        /** The trail's S3 key prefix, if it has one (before AWSLogs/). */
        prefix: z.string().max(200).regex(/^[^\\]*$/, 'Not an S3 key prefix').default(''),
        /** Organisation trails deliver under AWSLogs/o-…/. */
        orgId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'Not an AWS Organizations id (o-…)').nullable().default(null),
        accounts: z.array(account).min(1).max(200),
        regions: z.array(awsRegion).min(1).max(40),
        ...range,
        kind: z.enum(['cloudtrail', 'vpcflowlogs']).default('cloudtrail'),
      })
      .strict()
      .refine(rangeOrdered, rangeMessage),
    output: out<{ jobId: string }>(),
  },
  'logs.acquireLookup': {
    input: z
      .object({
        ...connRef,
        region: awsRegion,
        ...range,
        attribute: z
          .object({
            key: z.enum(['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId']),
            value: z.string().min(1).max(2000),
          })
          .strict()
          .optional(),
        /** AWS allows 2 LookupEvents per second per account and region; lower is allowed, higher is not. */
        requestsPerSecond: z.number().positive().max(2).default(2),
      })
      .strict()
      .refine(rangeOrdered, rangeMessage),
    output: out<{ jobId: string }>(),
  },
  'flows.acquireCwl': {
    input: z
      .object({
        ...connRef,
        region: awsRegion,
        logGroupName: z.string().min(1).max(512).regex(/^[.\-_/#A-Za-z0-9]+$/, 'Not a CloudWatch Logs group name'),
        logStreamNames: z.array(z.string().min(1).max(512)).min(1).max(100).optional(),
        ...range,
        /** The flow log's format (its field names); default the version 2 default format. */
        fields: z.string().min(1).max(2000).optional(),
      })
      .strict()
      .refine(rangeOrdered, rangeMessage),
    output: out<{ jobId: string }>(),
  },
  'logs.acquiredTrail': {
    input: z.object({ ...caseRef, bucket: bucket.optional() }).strict(),
    output: out<AcquiredTrail>(),
  },
} as const;
