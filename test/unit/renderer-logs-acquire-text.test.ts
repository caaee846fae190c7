// The Acquire logs panel's pure helpers: times typed in the case's zone, the S3 day folders it announces
// (checked against the job's own rule), and the job results it reads back.
import { describe, expect, it } from 'vitest';
import { dayPrefixes } from '../../main/core/logs/acquire/s3-layout.js';
import {
  fileResultOf, ingestTargets, isLogJob, rangeFromWall, s3DayFolders, s3KeyTemplates, s3ResultOf, type S3Query,
} from '../../renderer/src/components/aws/logs-acquire-text.js';
import type { S3AcquireFileResult } from '../../shared/contract-logs-acquire.js';
import type { Job } from '../../shared/types.js';

function job(kind: Job['kind'], result: Record<string, unknown> | null): Job {
  return { id: 'j1', kind, title: 't', state: 'succeeded', artifactId: null, progress: null, error: null, result, createdAt: '', startedAt: null, finishedAt: null };
}

describe('rangeFromWall', () => {
  it('reads wall-clock times in the case zone as UTC', () => {
    expect(rangeFromWall('2024-03-01 10:00', '2024-03-01 13:00:30', 'UTC').range).toEqual({ from: '2024-03-01T10:00:00.000Z', to: '2024-03-01T13:00:30.000Z' });
    // Berlin is UTC+1 in March, UTC+2 in July.
    expect(rangeFromWall('2024-03-01 11:00', '2024-07-01 12:00', 'Europe/Berlin').range).toEqual({ from: '2024-03-01T10:00:00.000Z', to: '2024-07-01T10:00:00.000Z' });
  });

  it('names what is wrong and gives no range', () => {
    expect(rangeFromWall('', '', 'UTC')).toEqual({ range: null, problems: { from: 'Required', to: 'Required' } });
    expect(rangeFromWall('2024-03-01T10:00Z', '2024-13-01 10:00', 'UTC').problems).toEqual({ from: 'Use YYYY-MM-DD HH:MM[:SS]', to: 'Use YYYY-MM-DD HH:MM[:SS]' });
    expect(rangeFromWall('2024-03-01 10:00', '2024-03-01 10:00', 'UTC')).toEqual({ range: null, problems: { to: 'Must be after From' } });
  });
});

describe('S3 layout shown before an acquisition', () => {
  const base: S3Query = { bucket: 'org-trail', prefix: '', orgId: null, accounts: ['111122223333'], regions: ['us-east-1'], from: '2024-03-01T10:00:00.000Z', to: '2024-03-01T13:00:00.000Z', kind: 'cloudtrail' };
  const cases: [string, Partial<S3Query>][] = [
    ['one day', {}],
    ['a range ending 23:30, whose slack reaches the next day', { from: '2024-03-01T20:00:00Z', to: '2024-03-01T23:30:00Z' }],
    ['a digest slack only crossing midnight', { from: '2024-03-01T20:00:00Z', to: '2024-03-01T22:30:00Z' }],
    ['several days, accounts and regions, prefix and organisation', { from: '2024-02-27T05:00:00Z', to: '2024-03-01T02:00:00Z', accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], prefix: 'trails/', orgId: 'o-abcdefghij' }],
    ['flow logs', { kind: 'vpcflowlogs', from: '2024-06-02T22:30:00Z', to: '2024-06-02T23:10:00Z' }],
  ];
  it.each(cases)('lists the same day folders as the job: %s', (_name, change) => {
    const q = { ...base, ...change };
    const job = dayPrefixes(q).map((p) => p.prefix);
    expect(job.length).toBeGreaterThan(0);
    expect(s3DayFolders(q)).toEqual(job);
  });

  it('shows the key layout with placeholders', () => {
    expect(s3KeyTemplates({ ...base, prefix: ' trails/ ', orgId: 'o-abcdefghij' })).toEqual([
      's3://org-trail/trails/AWSLogs/o-abcdefghij/<account>/CloudTrail/<region>/YYYY/MM/DD/',
      's3://org-trail/trails/AWSLogs/o-abcdefghij/<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/',
    ]);
    expect(s3KeyTemplates({ ...base, bucket: '', kind: 'vpcflowlogs' })).toEqual(['s3://<bucket>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/']);
  });
});

describe('job results', () => {
  const files: S3AcquireFileResult[] = [
    { key: 'a/CloudTrail/l1.json.gz', fileKind: 'cloudtrail-log', status: 'acquired', artifactId: 'A1', message: null },
    { key: 'a/CloudTrail/l2.json.gz', fileKind: 'cloudtrail-log', status: 'skipped', artifactId: 'A2', message: 'already in the case with the same ETag' },
    { key: 'a/CloudTrail/l3.json.gz', fileKind: 'cloudtrail-log', status: 'corrupt', artifactId: 'A3', message: 'The gzip data is truncated' },
    { key: 'a/CloudTrail/l4.json.gz', fileKind: 'cloudtrail-log', status: 'failed', artifactId: null, message: 'Access Denied' },
    { key: 'a/CloudTrail-Digest/d1.json.gz', fileKind: 'cloudtrail-digest', status: 'acquired', artifactId: 'D1', message: null },
    { key: 'a/vpcflowlogs/f1.log.gz', fileKind: 'vpc-flow-log', status: 'acquired', artifactId: 'F1', message: null },
  ];

  it('ingests logs and flows held in the case, never corrupt files, failed ones or digests', () => {
    expect(ingestTargets(files)).toEqual({ logs: ['A1', 'A2'], flows: ['F1'], digests: 1 });
  });

  it('reads an S3 result, and says nothing for a resumed job that only names its artifact', () => {
    const r = s3ResultOf(job('logs.acquire-s3', { listed: 6, acquired: 3, skipped: 1, failed: 1, corrupt: 1, bytes: 900, publicKeysArtifactId: 'K', files, filesTruncated: false }));
    expect(r).toMatchObject({ listed: 6, acquired: 3, corrupt: 1, publicKeysArtifactId: 'K' });
    expect(r!.files).toHaveLength(6);
    expect(s3ResultOf(job('logs.acquire-s3', { artifactId: 'x' }))).toBeNull();
    expect(s3ResultOf(job('logs.acquire-s3', null))).toBeNull();
  });

  it('reads single-file results', () => {
    expect(fileResultOf(job('logs.acquire-lookup', { artifactId: 'L', events: 160, pages: 4, throttles: 1 }))).toEqual({ artifactId: 'L', events: 160, pages: 4, throttles: 1 });
    expect(fileResultOf(job('flows.acquire-cwl', { artifactId: 'C' }))).toEqual({ artifactId: 'C', events: null, pages: null, throttles: null });
  });

  it('knows the three log kinds', () => {
    expect(['logs.acquire-s3', 'logs.acquire-lookup', 'flows.acquire-cwl'].every((k) => isLogJob(k as Job['kind']))).toBe(true);
    expect(isLogJob('aws.image')).toBe(false);
  });
});
