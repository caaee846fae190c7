/**
 * What each context part fetches from AWS and the bytes it preserves. The console output and the
 * screenshot are fetched on their own; the configuration parts reuse describeInstance (aws.instance).
 */
import { DescribeInstanceAttributeCommand, GetConsoleOutputCommand, GetConsoleScreenshotCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { AwsContextPart } from '../../../../shared/contract-aws-context.js';
import type { AwsInstanceDetail, AwsPart } from '../../../../shared/contract-aws.js';
import { AppError, type ErrorCode } from '../../../../shared/errors.js';

/** One fetched part: the file's bytes and extension, and where they came from. */
export interface Fetched {
  bytes: Buffer | null;
  ext: 'txt' | 'jpg' | 'json';
  apiAction: string;
  requestId: string | null;
  /** Extra custody details (the console's own timestamp, the request ids of a combined read). */
  extra: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so the same answer always hashes the same. */
export function stableJson(value: unknown): Buffer {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return Buffer.from(`${JSON.stringify(sort(value), null, 2)}\n`, 'utf8');
}

/** GetConsoleOutput with Latest=true: the decoded bytes exactly as returned. */
export async function fetchConsole(ec2: EC2Client, instanceId: string): Promise<Fetched> {
  const r = await ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true }));
  return {
    bytes: Buffer.from(r.Output ?? '', 'base64'),
    ext: 'txt',
    apiAction: 'ec2:GetConsoleOutput',
    requestId: r.$metadata.requestId ?? null,
    extra: { consoleTimestamp: r.Timestamp?.toISOString() ?? null },
  };
}

/** GetConsoleScreenshot without WakeUp: nothing is sent to the instance. */
export async function fetchScreenshot(ec2: EC2Client, instanceId: string): Promise<Fetched> {
  const r = await ec2.send(new GetConsoleScreenshotCommand({ InstanceId: instanceId }));
  if (!r.ImageData) throw new AppError('NOT_FOUND', `AWS returned no screenshot for ${instanceId}`);
  return { bytes: Buffer.from(r.ImageData, 'base64'), ext: 'jpg', apiAction: 'ec2:GetConsoleScreenshot', requestId: r.$metadata.requestId ?? null, extra: {} };
}

/** The user data's decoded bytes as the instance received them (may be binary, e.g. gzip). */
export async function fetchUserData(ec2: EC2Client, instanceId: string): Promise<Fetched> {
  const r = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
  const encoded = r.UserData?.Value;
  return {
    bytes: encoded ? Buffer.from(encoded, 'base64') : null,
    ext: 'txt',
    apiAction: 'ec2:DescribeInstanceAttribute',
    requestId: r.$metadata.requestId ?? null,
    extra: {},
  };
}

const fromDetail: Record<Exclude<AwsContextPart, 'console-output' | 'screenshot' | 'user-data'>, { action: string; pick: (d: AwsInstanceDetail) => AwsPart<unknown> | null }> = {
  describe: { action: 'ec2:DescribeInstances', pick: (d) => ({ ok: true, value: d.describe }) },
  attributes: { action: 'ec2:DescribeInstanceAttribute', pick: (d) => d.attributes },
  volumes: { action: 'ec2:DescribeVolumes', pick: (d) => d.volumes },
  'security-groups': { action: 'ec2:DescribeSecurityGroups', pick: (d) => d.securityGroups },
  'network-interfaces': { action: 'ec2:DescribeNetworkInterfaces', pick: (d) => d.networkInterfaces },
  iam: { action: 'iam:GetInstanceProfile', pick: (d) => d.iam },
};

/** A configuration part out of describeInstance's answer; a failed part throws its error. */
export function partOfDetail(part: keyof typeof fromDetail, d: AwsInstanceDetail): Fetched {
  const { action, pick } = fromDetail[part];
  const p = pick(d);
  // describeInstance reads all parts in one go, so each carries the request ids of that whole read.
  const common = { ext: 'json' as const, apiAction: action, requestId: null, extra: { requestIds: d.requestIds } };
  if (p === null) return { ...common, bytes: null };
  if (!p.ok) throw new AppError(p.code as ErrorCode, p.message);
  return { ...common, bytes: stableJson({ region: d.region, instanceId: d.instanceId, [part]: p.value }) };
}
