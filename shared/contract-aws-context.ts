/**
 * The contract's AWS context-capture operation (issue 3, item 7): console output, screenshot and
 * the instance's configuration, each preserved as its own hashed artifact. Merged into `channels`.
 */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';
import { awsRegion } from './contract-aws.js';

/** The parts of an instance's context, in capture order: the console first (AWS keeps only 64 KiB). */
export const awsContextParts = [
  'console-output',
  'screenshot',
  'describe',
  'attributes',
  'user-data',
  'volumes',
  'security-groups',
  'network-interfaces',
  'iam',
] as const;
export type AwsContextPart = (typeof awsContextParts)[number];

/** How one part ended: an artifact, nothing to capture (e.g. no user data), or an error. */
export interface AwsContextPartResult {
  part: AwsContextPart;
  status: 'captured' | 'empty' | 'failed';
  artifactId: string | null;
  code?: string;
  message?: string;
}

export const awsContextChannels = {
  'aws.captureContext': {
    input: z.object({
      ...caseRef,
      connectionId: id,
      region: awsRegion,
      instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/, 'Not an EC2 instance id (i-…)'),
      parts: z.array(z.enum(awsContextParts)).min(1).max(awsContextParts.length).optional(),
    }),
    output: out<{ jobId: string }>(),
  },
} as const;
