/**
 * Log acquisition against the AWS fake, through the contract: a signed CloudTrail trail from S3
 * (logs, digests with their x-amz-meta-signature, public keys) that the offline validation then
 * passes; resuming skips what is already in the case; a corrupt gzip is reported and the rest
 * acquired; LookupEvents paced at 2 requests per second with throttling retried; VPC flow logs from
 * CloudWatch Logs and from S3, each read back by the existing ingest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3AcquireFileResult } from '../../shared/contract-logs-acquire.js';
import type { Job } from '../../shared/types.js';
import { VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import type { Trail } from '../fixtures/cloudtrail/build-trail.js';
import { removeTree, tempDir, type Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';
import { FLOW_HEADER, flowLine, seedFlowLogGroup, seedSignedTrail } from '../support/logs-fake-seed.js';

const BUCKET = 'org-trail-bucket';
let fake: AwsFake;
let h: Harness;
let caseId: string;
let casePath: string;
let connectionId: string;
let trail: Trail;
const work = tempDir('caseward-acquire-');

async function run(channel: 'logs.acquireS3' | 'logs.acquireLookup' | 'flows.acquireCwl', input: Record<string, unknown>): Promise<Job> {
  const { jobId } = await h.call(channel as 'logs.acquireS3', { caseId, connectionId, region: 'us-east-1', ...input } as never);
  return h.waitJob(caseId, jobId);
}

beforeAll(async () => {
  ({ fake, h, caseId, casePath, connectionId } = await startAwsCase({ fake: { region: 'us-east-1' }, case: { number: 'LOGS-1', title: 'Log acquisition' } }));
  trail = await seedSignedTrail(fake, { dir: path.join(work, 'trail'), hours: 3, bucket: BUCKET, account: VICTIM_ACCOUNT_ID });
  // Outside what is asked for: another day, another account, a file that is not CloudTrail's.
  fake.logs.putObject(BUCKET, `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-east-1/2024/02/01/${VICTIM_ACCOUNT_ID}_CloudTrail_us-east-1_20240201T1020Z_aaaaaaaaaaaaaaaa.json.gz`, gzipSync('{"Records":[]}'));
  fake.logs.putObject(BUCKET, `AWSLogs/999988887777/CloudTrail/us-east-1/2024/03/01/999988887777_CloudTrail_us-east-1_20240301T1020Z_bbbbbbbbbbbbbbbb.json.gz`, gzipSync('{"Records":[]}'));
  fake.logs.putObject(BUCKET, `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-east-1/2024/03/01/notes.txt`, Buffer.from('not a log'));
});
afterAll(async () => {
  await h?.dispose();
  await fake?.close();
  removeTree(work);
});

const s3Input = { bucket: BUCKET, accounts: [VICTIM_ACCOUNT_ID], regions: ['us-east-1'], from: '2024-03-01T10:00:00Z', to: '2024-03-01T13:00:00Z' };

describe('logs.acquireS3 (CloudTrail)', () => {
  it('acquires the logs, digests and public keys of the range; the offline validation passes on them', async () => {
    const job = await run('logs.acquireS3', s3Input);
    expect(job.state, job.error ?? '').toBe('succeeded');
    const r = job.result as { listed: number; acquired: number; skipped: number; failed: number; publicKeysArtifactId: string; files: S3AcquireFileResult[] };
    expect(r).toMatchObject({ listed: 9, acquired: 9, skipped: 0, failed: 0 });
    const events = (await h.call('custody.list', { caseId, limit: 1000 })).events;
    const listed = events.find((e) => e.action === 'logs.s3-listed')!;
    const listCalls = fake.calls.filter((c) => c.action === 'ListObjectsV2');
    expect(listed.details.requestIds).toEqual(listCalls.map((c) => c.requestId));
    const digest = trail.digests[1]!;
    const file = r.files.find((f) => f.key === digest.s3Key)!;
    const added = events.find((e) => e.action === 'artifact.added' && e.artifactId === file.artifactId)!;
    const get = fake.calls.find((c) => c.action === 'GetObject' && c.params.path === `/${BUCKET}/${digest.s3Key}`)!;
    expect(added.details).toMatchObject({
      source: 's3', fileKind: 'cloudtrail-digest', s3Bucket: BUCKET, s3Key: digest.s3Key, signatureHex: digest.signatureHex, signatureAlgorithm: 'SHA256withRSA',
      metadata: { signature: digest.signatureHex, 'signature-algorithm': 'SHA256withRSA' }, requestId: get.requestId, gzipCheck: 'ok',
      etag: fake.logs.buckets.get(BUCKET)!.get(digest.s3Key)!.etag, versionId: expect.stringMatching(/^v-/),
    });
    const stored = path.join(casePath, (await h.call('evidence.get', { caseId, artifactId: file.artifactId! })).storedPath);
    expect(fs.readFileSync(stored).equals(fs.readFileSync(digest.path))).toBe(true);
    expect(fs.statSync(stored).mode & 0o222).toBe(0);
    const keysEvent = events.find((e) => e.artifactId === r.publicKeysArtifactId)!;
    expect(keysEvent.details.requestIds).toEqual(fake.calls.filter((c) => c.action === 'ListPublicKeys').map((c) => c.requestId));

    const acquired = await h.call('logs.acquiredTrail', { caseId });
    expect(acquired.logs).toHaveLength(6);
    expect(acquired.digests).toHaveLength(3);
    expect(acquired.publicKeys.map((k) => k.fingerprint)).toEqual([trail.fingerprint]);
    const { publicKeyArtifactIds: _ids, ...input } = acquired;
    // The trail starts at 10:00:31 (a starting digest): validating from 10:00:00 would rightly report that half minute as a gap.
    expect((await h.call('logs.validate', { caseId, ...input, range: { from: s3Input.from, to: s3Input.to } })).gaps.map((g) => g.kind)).toEqual(['before-first']);
    const report = await h.call('logs.validate', { caseId, ...input, range: { from: trail.range.start, to: trail.range.end } });
    expect(report.counts.digests).toEqual({ valid: 3, invalid: 0, missing: 0 });
    expect(report.counts.logs).toMatchObject({ valid: 6, invalid: 0, missing: 0, 'not-covered': 0 });
    expect(report.ok).toBe(true);
  });

  it('a repeated acquisition skips what the case holds with the same ETag and fetches a changed object again', async () => {
    const gets = () => fake.calls.filter((c) => c.action === 'GetObject').length;
    const before = gets();
    const again = await run('logs.acquireS3', s3Input);
    expect(again.result).toMatchObject({ listed: 9, acquired: 0, skipped: 9 });
    expect(gets()).toBe(before);
    const changed = trail.logs[0]!;
    fake.logs.putObject(BUCKET, changed.s3Key, gzipSync('{"Records":[{"eventID":"x","eventTime":"2024-03-01T10:10:00Z"}]}'));
    const third = await run('logs.acquireS3', s3Input);
    expect(third.result).toMatchObject({ acquired: 1, skipped: 8 });
    const f = (third.result as { files: S3AcquireFileResult[] }).files.find((x) => x.status === 'acquired')!;
    expect(f.key).toBe(changed.s3Key);
    const ev = (await h.call('custody.list', { caseId, artifactId: f.artifactId!, limit: 10 })).events.find((e) => e.action === 'artifact.added')!;
    expect(ev.details).toMatchObject({ etagChanged: true, replacesArtifactId: expect.any(String) });
    // Put the original back so the trail validates again for later tests.
    fake.logs.putObject(BUCKET, changed.s3Key, fs.readFileSync(changed.path));
  });

  it('a corrupt gzip object is reported clearly; the rest is acquired', async () => {
    const key = `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-west-2/2024/03/01/${VICTIM_ACCOUNT_ID}_CloudTrail_us-west-2_20240301T1120Z_cccccccccccccccc.json.gz`;
    const good = `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-west-2/2024/03/01/${VICTIM_ACCOUNT_ID}_CloudTrail_us-west-2_20240301T1140Z_dddddddddddddddd.json.gz`;
    fake.logs.putObject(BUCKET, key, gzipSync('{"Records":[{"eventID":"y"}]}').subarray(0, 20));
    fake.logs.putObject(BUCKET, good, gzipSync('{"Records":[]}'));
    const job = await run('logs.acquireS3', { ...s3Input, regions: ['us-west-2'] });
    expect(job.state).toBe('succeeded');
    const r = job.result as { acquired: number; corrupt: number; files: S3AcquireFileResult[] };
    expect(r).toMatchObject({ acquired: 1, corrupt: 1 });
    expect(r.files.find((f) => f.key === key)).toMatchObject({ status: 'corrupt', message: expect.stringMatching(/gzip data is truncated or corrupt/) });
    expect(r.files.find((f) => f.key === good)).toMatchObject({ status: 'acquired' });
  });
});

describe('logs.acquireS3: cancel and start again', () => {
  it('a cancelled acquisition leaves no pending artifact; the next one skips what was sealed', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `AWSLogs/${VICTIM_ACCOUNT_ID}/CloudTrail/us-east-1/2024/07/01/${VICTIM_ACCOUNT_ID}_CloudTrail_us-east-1_20240701T10${String(i * 5).padStart(2, '0')}Z_${'e'.repeat(15)}${i}.json.gz`);
    for (const k of keys) fake.logs.putObject('resume-bucket', k, gzipSync(`{"Records":[{"eventID":"${k}"}]}`));
    const rule = fake.faults.latency('GetObject', 400);
    const input = { caseId, connectionId, region: 'us-east-1', bucket: 'resume-bucket', accounts: [VICTIM_ACCOUNT_ID], regions: ['us-east-1'], from: '2024-07-01T10:00:00Z', to: '2024-07-01T11:00:00Z' };
    const { jobId } = await h.call('logs.acquireS3', input);
    const sealed = async () => (await h.call('evidence.list', { caseId })).filter((a) => a.sourcePath.startsWith('s3://resume-bucket/'));
    for (let i = 0; i < 100 && (await sealed()).filter((a) => a.state === 'complete').length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    await h.call('jobs.cancel', { caseId, jobId });
    expect((await h.waitJob(caseId, jobId)).state).toBe('cancelled');
    fake.faults.remove(rule);
    const first = await sealed();
    const complete = first.filter((a) => a.state === 'complete').length;
    expect(complete).toBeGreaterThanOrEqual(2);
    expect(complete).toBeLessThan(6);
    expect(first.filter((a) => a.state === 'pending')).toEqual([]);
    const again = await run('logs.acquireS3', { bucket: 'resume-bucket', accounts: [VICTIM_ACCOUNT_ID], regions: ['us-east-1'], from: input.from, to: input.to });
    expect(again.result).toMatchObject({ listed: 6, skipped: complete, acquired: 6 - complete });
  });
});

describe('logs.acquireLookup', () => {
  it('pages LookupEvents at no more than 2 requests per second, retries throttling, and writes a file logs.ingest reads', async () => {
    const at = Date.parse('2024-05-01T00:00:00Z');
    fake.logs.addTrailEvents('us-east-1', VICTIM_ACCOUNT_ID, Array.from({ length: 160 }, (_, i) => ({
      eventVersion: '1.08', eventID: `lk-${i}`, eventTime: new Date(at + i * 30_000).toISOString().replace('.000', ''), eventSource: 'iam.amazonaws.com',
      eventName: i % 4 ? 'ListUsers' : 'CreateAccessKey', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:user/mallory`, userName: 'mallory', accessKeyId: 'AKIAMALLORY' },
      recipientAccountId: VICTIM_ACCOUNT_ID, eventType: 'AwsApiCall', readOnly: i % 4 !== 0,
    })));
    fake.faults.throttle({ service: 'cloudtrail', action: 'LookupEvents', times: 1 });
    const job = await run('logs.acquireLookup', { from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z' });
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect(job.result).toMatchObject({ events: 160, pages: 4, throttles: 1 });
    expect(fake.logs.maxLookupsPerSecond()).toBeLessThanOrEqual(2);
    const artifactId = (job.result as { artifactId: string }).artifactId;
    const a = await h.call('evidence.get', { caseId, artifactId });
    const parsed = JSON.parse(fs.readFileSync(path.join(casePath, a.storedPath), 'utf8')) as { Records: { eventID: string }[] };
    expect(parsed.Records).toHaveLength(160);
    const added = (await h.call('custody.list', { caseId, artifactId, limit: 10 })).events.find((e) => e.action === 'artifact.added')!;
    const calls = fake.calls.filter((c) => c.action === 'LookupEvents' && c.accountId === VICTIM_ACCOUNT_ID && c.time.getTime() >= Date.parse(job.startedAt!) - 1000);
    expect(added.details.requestIds).toEqual(calls.filter((c) => c.status === 200).map((c) => c.requestId));
    expect(added.details.throttledRequestIds).toEqual(calls.filter((c) => c.status !== 200).map((c) => c.requestId));
    const ingest = await h.call('logs.ingest', { caseId, artifactIds: [artifactId] });
    expect((await h.waitJob(caseId, ingest.jobId)).state).toBe('succeeded');
    const page = await h.call('timeline.query', { caseId, filters: { eventName: ['CreateAccessKey'] }, limit: 1000 });
    expect(page.total).toBe(40);
  });

  it('filters by a lookup attribute', async () => {
    const job = await run('logs.acquireLookup', { from: '2024-05-01T00:00:00Z', to: '2024-05-02T00:00:00Z', attribute: { key: 'EventName', value: 'CreateAccessKey' } });
    expect(job.result).toMatchObject({ events: 40 });
  });
});

describe('VPC flow logs', () => {
  const header = FLOW_HEADER;
  const line = (i: number, t: number) => flowLine(VICTIM_ACCOUNT_ID, i, t);

  it('flows.acquireCwl pages FilterLogEvents into a flow log file that flows.ingest reads', async () => {
    const t0 = Date.parse('2024-06-01T08:00:00Z');
    fake.logs.filterPageSize = 10;
    seedFlowLogGroup(fake, { group: '/aws/vpc/flows', account: VICTIM_ACCOUNT_ID, start: '2024-06-01T08:00:00Z', count: 25 });
    fake.logs.putLogEvents('/aws/vpc/flows', [{ logStreamName: 'eni-0a1b2c3d-all', timestamp: t0 + 86_400_000, message: line(99, t0 / 1000 + 86_400) }]);
    const job = await run('flows.acquireCwl', { logGroupName: '/aws/vpc/flows', from: '2024-06-01T08:00:00Z', to: '2024-06-01T09:00:00Z' });
    expect(job.state, job.error ?? '').toBe('succeeded');
    expect(job.result).toMatchObject({ events: 25, pages: 3 });
    const artifactId = (job.result as { artifactId: string }).artifactId;
    const a = await h.call('evidence.get', { caseId, artifactId });
    expect(fs.readFileSync(path.join(casePath, a.storedPath), 'utf8').split('\n')[0]).toBe(header);
    const ingest = await h.call('flows.ingest', { caseId, artifactIds: [artifactId] });
    expect((await h.waitJob(caseId, ingest.jobId)).state).toBe('succeeded');
    const page = await h.call('flows.query', { caseId, filters: { action: 'REJECT' } });
    expect(page.total).toBe(5);
  });

  it('a missing log group fails the job clearly, with the failed call\'s request id in custody and no artifact left', async () => {
    const job = await run('flows.acquireCwl', { logGroupName: '/aws/vpc/none', from: '2024-06-01T08:00:00Z', to: '2024-06-01T09:00:00Z' });
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/log group does not exist/);
    const call = fake.calls.filter((c) => c.action === 'FilterLogEvents').at(-1)!;
    const failed = (await h.call('custody.list', { caseId, limit: 1000 })).events.filter((e) => e.action === 'logs.acquire-failed').at(-1)!;
    expect(failed.details).toMatchObject({ apiAction: 'FilterLogEvents', failedRequestId: call.requestId, logGroupName: '/aws/vpc/none' });
    expect((await h.call('evidence.list', { caseId })).filter((a) => a.sourcePath.includes('/aws/vpc/none') && a.state !== 'failed')).toEqual([]);
  });

  it('logs.acquireS3 with kind vpcflowlogs acquires .log.gz files from the vpcflowlogs layout', async () => {
    const key = (stamp: string, h8: string) => `AWSLogs/${VICTIM_ACCOUNT_ID}/vpcflowlogs/us-east-1/2024/06/02/${VICTIM_ACCOUNT_ID}_vpcflowlogs_us-east-1_fl-0123456789abcdef0_${stamp}_${h8}.log.gz`;
    const t = Date.parse('2024-06-02T10:00:00Z') / 1000;
    fake.logs.putObject('flow-bucket', key('20240602T1005Z', 'aa11bb22'), gzipSync(`${header}\n${[0, 1, 2].map((i) => line(i, t + i)).join('\n')}\n`));
    fake.logs.putObject('flow-bucket', key('20240602T2005Z', 'cc33dd44'), gzipSync(`${header}\n${line(5, t + 36_000)}\n`));
    const job = await run('logs.acquireS3', { bucket: 'flow-bucket', kind: 'vpcflowlogs', accounts: [VICTIM_ACCOUNT_ID], regions: ['us-east-1'], from: '2024-06-02T10:00:00Z', to: '2024-06-02T11:00:00Z' });
    expect(job.state, job.error ?? '').toBe('succeeded');
    const r = job.result as { acquired: number; publicKeysArtifactId: string | null; files: S3AcquireFileResult[] };
    expect(r).toMatchObject({ acquired: 1, publicKeysArtifactId: null });
    const ingest = await h.call('flows.ingest', { caseId, artifactIds: [r.files[0]!.artifactId!] });
    const done = await h.waitJob(caseId, ingest.jobId);
    expect(done.state).toBe('succeeded');
  });
});
