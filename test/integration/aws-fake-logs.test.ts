/**
 * The fake's log services through the real SDK clients (S3 ListObjectsV2/GetObject/HeadObject,
 * CloudTrail LookupEvents/ListPublicKeys, CloudWatch Logs FilterLogEvents), and S3 through Debian's
 * AWS CLI (botocore's signer and XML parser) as an independent check.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudTrailClient, ListPublicKeysCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS, VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { awsError } from '../aws-fake/test-helpers.js';

const AWS = '/usr/bin/aws';
const haveCli = fs.existsSync(AWS);
if (!haveCli) console.warn(`aws-fake log-services CLI checks skipped: ${AWS} is absent (install the Debian package awscli)`);

let fake: AwsFake;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-fake-logs-'));
const BUCKET = 'trail-bucket';
const creds = { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey };
const cfg = () => ({ region: 'us-east-1', endpoint: fake.endpoint, credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  fake = await startAwsFake();
  for (let i = 0; i < 7; i++) fake.logs.putObject(BUCKET, `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-east-1/2024/03/01/f${i}.json.gz`, Buffer.from(`object ${i}`));
  fake.logs.putObject(BUCKET, 'other/x.txt', Buffer.from('x'));
  fake.logs.putObject(BUCKET, 'AWSLogs/digest.json.gz', Buffer.from('digest bytes'), { metadata: { signature: 'ab12', 'signature-algorithm': 'SHA256withRSA' }, versionId: 'v1' });
  const at = Date.parse('2024-03-01T10:00:00Z');
  fake.logs.addTrailEvents('us-east-1', VICTIM_ACCOUNT_ID, Array.from({ length: 120 }, (_, i) => ({
    eventID: `e${i}`, eventTime: new Date(at + i * 60_000).toISOString().replace('.000', ''), eventName: i % 3 ? 'DescribeInstances' : 'ConsoleLogin',
    eventSource: i % 3 ? 'ec2.amazonaws.com' : 'signin.amazonaws.com', userIdentity: { type: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' }, readOnly: true,
  })));
  fake.logs.addPublicKey(Buffer.from('not really a key'), new Date('2024-01-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
  fake.logs.putLogEvents('/vpc/flows', Array.from({ length: 25 }, (_, i) => ({ logStreamName: `eni-${i % 2}`, timestamp: at + i * 1000, message: `2 ${VICTIM_ACCOUNT_ID} eni-${i % 2} 10.0.0.1 10.0.0.2 443 5000${i} 6 1 40 ${at / 1000} ${at / 1000 + 60} ACCEPT OK` })));
});
afterAll(async () => {
  await fake?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('fake S3 through the SDK', () => {
  it('lists with a prefix across continuation tokens, gets with metadata headers, heads', async () => {
    const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'AWSLogs/1', MaxKeys: 3, ContinuationToken: token }));
      keys.push(...(r.Contents ?? []).map((c) => c.Key!));
      token = r.NextContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(keys).toHaveLength(7);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'AWSLogs/digest.json.gz' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).toString()).toBe('digest bytes');
    expect(got.Metadata).toEqual({ signature: 'ab12', 'signature-algorithm': 'SHA256withRSA' });
    expect(got.ETag).toBe(`"${createHash('md5').update('digest bytes').digest('hex')}"`);
    expect(got.VersionId).toBe('v1');
    expect(got.$metadata.requestId).toBe(fake.calls.at(-1)!.requestId);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'AWSLogs/digest.json.gz' }));
    expect(head.ContentLength).toBe(12);
    expect(head.Metadata!.signature).toBe('ab12');
    expect((await awsError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope' })))).name).toBe('NoSuchKey');
    expect((await awsError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nope' })))).status).toBe(404);
    expect((await awsError(s3.send(new ListObjectsV2Command({ Bucket: 'no-bucket' })))).name).toBe('NoSuchBucket');
    const wrong = new S3Client({ ...cfg(), forcePathStyle: true, credentials: { ...creds, secretAccessKey: 'wrong' } });
    expect((await awsError(wrong.send(new ListObjectsV2Command({ Bucket: BUCKET })))).name).toBe('SignatureDoesNotMatch');
  });
});

describe('fake CloudTrail and CloudWatch Logs through the SDK', () => {
  it('LookupEvents pages newest first, filters by attribute and time, and throttles above 2 requests per second', async () => {
    const ct = new CloudTrailClient(cfg());
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const r = await ct.send(new LookupEventsCommand({ StartTime: new Date('2024-03-01T10:30:00Z'), EndTime: new Date('2024-03-01T11:59:00Z'), NextToken: token }));
      ids.push(...r.Events!.map((e) => e.EventId!));
      expect(JSON.parse(r.Events![0]!.CloudTrailEvent!)).toHaveProperty('eventID', r.Events![0]!.EventId);
      token = r.NextToken;
      await new Promise((res) => setTimeout(res, 550));
    } while (token);
    expect(ids).toHaveLength(90);
    expect(ids[0]).toBe('e119');
    const logins = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] }));
    expect(logins.Events!.every((e) => e.EventName === 'ConsoleLogin')).toBe(true);
    expect(logins.Events).toHaveLength(40);
    const burst = await Promise.allSettled([1, 2, 3].map(() => ct.send(new LookupEventsCommand({ MaxResults: 1 }))));
    const throttled = burst.filter((b) => b.status === 'rejected').map((b) => ((b as PromiseRejectedResult).reason as Error).name);
    expect(throttled).toContain('ThrottlingException');
    const keys = await ct.send(new ListPublicKeysCommand({ StartTime: new Date('2024-03-01T00:00:00Z'), EndTime: new Date('2024-03-02T00:00:00Z') }));
    expect(keys.PublicKeyList).toHaveLength(1);
    expect(Buffer.from(keys.PublicKeyList![0]!.Value!).toString()).toBe('not really a key');
    expect(keys.PublicKeyList![0]!.Fingerprint).toBe(createHash('md5').update('not really a key').digest('hex'));
  });

  it('FilterLogEvents pages through a log group by time range', async () => {
    const logs = new CloudWatchLogsClient(cfg());
    const messages: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/vpc/flows', startTime: Date.parse('2024-03-01T10:00:05Z'), limit: 6, nextToken: token }));
      messages.push(...r.events!.map((e) => e.message!));
      token = r.nextToken;
      pages++;
    } while (token);
    expect(messages).toHaveLength(20);
    expect(pages).toBe(4);
    expect((await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' })))).name).toBe('ResourceNotFoundException');
  });
});

function aws(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile(AWS, [...args, '--endpoint-url', fake.endpoint, '--no-cli-pager', '--output', 'json'], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(!haveCli)('fake S3 through the AWS CLI', () => {
  it('list-objects-v2 pages with the CLI, get-object returns the bytes and metadata', async () => {
    const list = await aws(['s3api', 'list-objects-v2', '--bucket', BUCKET, '--prefix', 'AWSLogs/', '--page-size', '2']);
    expect(list.stderr).toBe('');
    const listed = JSON.parse(list.stdout) as { Contents: { Key: string; ETag: string; Size: number }[] };
    expect(listed.Contents.map((c) => c.Key)).toHaveLength(8);
    const out = path.join(dir, 'digest.out');
    const get = await aws(['s3api', 'get-object', '--bucket', BUCKET, '--key', 'AWSLogs/digest.json.gz', out]);
    expect(get.code, get.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('digest bytes');
    const meta = JSON.parse(get.stdout) as { Metadata: Record<string, string>; ETag: string; VersionId: string };
    expect(meta.Metadata).toEqual({ signature: 'ab12', 'signature-algorithm': 'SHA256withRSA' });
    expect(meta.VersionId).toBe('v1');
    const head = await aws(['s3api', 'head-object', '--bucket', BUCKET, '--key', 'AWSLogs/digest.json.gz']);
    expect((JSON.parse(head.stdout) as { ContentLength: number }).ContentLength).toBe(12);
  });
});
