/** Synthetic CloudTrail records and log files for the logs-* tests and the ingest rate measurement. */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The fields of a CloudTrail record the logs-* tests read (records carry more). */
export interface CtRecord {
  eventID?: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion?: string;
  recipientAccountId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  readOnly?: boolean;
  userIdentity: { arn?: string; accessKeyId?: string; [field: string]: unknown };
  requestParameters: Record<string, string> | null;
  [field: string]: unknown;
}

/** A small deterministic PRNG so every run makes the same files. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = ['ec2.amazonaws.com', 's3.amazonaws.com', 'iam.amazonaws.com', 'sts.amazonaws.com', 'cloudtrail.amazonaws.com', 'ssm.amazonaws.com'];
const NAMES = ['DescribeInstances', 'GetObject', 'CreateAccessKey', 'AssumeRole', 'StopLogging', 'GetParameter', 'ListBuckets', 'RunInstances'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const ACCOUNTS = ['111122223333', '444455556666'];
const ERRORS = ['AccessDenied', 'UnauthorizedOperation', 'ThrottlingException'];

/** `count` records starting at `start` (index i makes eventID ev-<i>; every 97th has no eventID). */
export function syntheticRecords(count: number, start = 0, seed = 1): CtRecord[] {
  const r = rng(seed + start);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const base = Date.parse('2026-03-01T00:00:00Z');
  const out: CtRecord[] = [];
  for (let i = start; i < start + count; i++) {
    const user = `user${Math.floor(r() * 50)}`;
    const rec: CtRecord = {
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser', principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${user}`,
        accountId: '111122223333', accessKeyId: `AKIA${String(Math.floor(r() * 200)).padStart(16, '0')}`, userName: user,
      },
      eventTime: new Date(base + i * 1000 + Math.floor(r() * 1000)).toISOString().replace('.000Z', 'Z'),
      eventSource: pick(SOURCES),
      eventName: pick(NAMES),
      awsRegion: pick(REGIONS),
      sourceIPAddress: `203.0.113.${Math.floor(r() * 256)}`,
      userAgent: r() < 0.5 ? `aws-cli/2.15.${Math.floor(r() * 9)} Python/3.11` : `Boto3/1.34.${Math.floor(r() * 9)}`,
      requestParameters: { bucketName: `bucket-${i}`, marker: `needle${i}x` },
      responseElements: null,
      requestID: `req-${i}`,
      eventType: 'AwsApiCall',
      readOnly: r() < 0.7,
      recipientAccountId: pick(ACCOUNTS),
      resources: [{ ARN: `arn:aws:s3:::bucket-${i}`, type: 'AWS::S3::Bucket' }],
    };
    if (r() < 0.1) rec.errorCode = pick(ERRORS);
    if (i % 97 !== 0) rec.eventID = `ev-${i}`;
    out.push(rec);
  }
  return out;
}

/** Writes `{"Records":[…]}` files of `perFile` records each (gzipped when `gz`); returns their paths. */
export function writeSyntheticFiles(dir: string, total: number, perFile: number, gz = true, seed = 1): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let start = 0, n = 0; start < total; start += perFile, n++) {
    const body = JSON.stringify({ Records: syntheticRecords(Math.min(perFile, total - start), start, seed) });
    const file = path.join(dir, `111122223333_CloudTrail_us-east-1_20260301T0000Z_${String(n).padStart(5, '0')}.json${gz ? '.gz' : ''}`);
    fs.writeFileSync(file, gz ? gzipSync(body) : body);
    files.push(file);
  }
  return files;
}
