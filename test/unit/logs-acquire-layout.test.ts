/** The S3 key selection of log acquisition and the LookupEvents pacing, without AWS. */
import { describe, expect, it } from 'vitest';
import { dayPrefixes, keyTime, wanted } from '../../main/core/logs/acquire/s3-layout.js';
import { backoffMs, TokenBucket } from '../../main/core/logs/acquire/rate-limit.js';
import { lookupEstimate } from '../../main/core/logs/acquire/lookup.job.js';
import { headerFromFormat } from '../../main/core/logs/acquire/cwl-flows.job.js';

const log = (stamp: string) => `AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/2024/03/01/111122223333_CloudTrail_us-east-1_${stamp}_abcdEFGH12345678.json.gz`;
const digest = (stamp: string) => `AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/111122223333_CloudTrail-Digest_us-east-1_org-trail_us-east-1_${stamp}.json.gz`;

describe('S3 layout', () => {
  it('lists the day folders of every account, region and kind, reaching past the end for late deliveries', () => {
    const p = dayPrefixes({ prefix: 'trails/', orgId: 'o-abc123def4', accounts: ['111122223333', '444455556666'], regions: ['us-east-1'], kind: 'cloudtrail', from: '2024-03-01T10:00:00Z', to: '2024-03-01T23:30:00Z' });
    expect(p.map((x) => x.prefix)).toEqual([
      'trails/AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/2024/03/01/',
      'trails/AWSLogs/o-abc123def4/111122223333/CloudTrail/us-east-1/2024/03/02/',
      'trails/AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/',
      'trails/AWSLogs/o-abc123def4/111122223333/CloudTrail-Digest/us-east-1/2024/03/02/',
      'trails/AWSLogs/o-abc123def4/444455556666/CloudTrail/us-east-1/2024/03/01/',
      'trails/AWSLogs/o-abc123def4/444455556666/CloudTrail/us-east-1/2024/03/02/',
      'trails/AWSLogs/o-abc123def4/444455556666/CloudTrail-Digest/us-east-1/2024/03/01/',
      'trails/AWSLogs/o-abc123def4/444455556666/CloudTrail-Digest/us-east-1/2024/03/02/',
    ]);
    const flows = dayPrefixes({ prefix: '', orgId: null, accounts: ['111122223333'], regions: ['eu-west-1'], kind: 'vpcflowlogs', from: '2024-03-01T10:00:00Z', to: '2024-03-01T11:00:00Z' });
    expect(flows).toEqual([{ prefix: 'AWSLogs/111122223333/vpcflowlogs/eu-west-1/2024/03/01/', fileKind: 'vpc-flow-log' }]);
  });

  it('keeps files whose name time falls in the range (logs up to an hour late, digests two)', () => {
    const from = '2024-03-01T10:00:00Z';
    const to = '2024-03-01T12:00:00Z';
    expect(wanted(log('20240301T0955Z'), 'cloudtrail-log', from, to)).toBe(false);
    expect(wanted(log('20240301T1000Z'), 'cloudtrail-log', from, to)).toBe(true);
    expect(wanted(log('20240301T1259Z'), 'cloudtrail-log', from, to)).toBe(true);
    expect(wanted(log('20240301T1300Z'), 'cloudtrail-log', from, to)).toBe(false);
    expect(wanted(digest('20240301T100000Z'), 'cloudtrail-digest', from, to)).toBe(false);
    expect(wanted(digest('20240301T110031Z'), 'cloudtrail-digest', from, to)).toBe(true);
    expect(wanted(digest('20240301T140000Z'), 'cloudtrail-digest', from, to)).toBe(true);
    expect(wanted(digest('20240301T140001Z'), 'cloudtrail-digest', from, to)).toBe(false);
    expect(wanted('AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/readme.txt', 'cloudtrail-log', from, to)).toBe(false);
    expect(keyTime('AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/01/111122223333_vpcflowlogs_us-east-1_fl-1234abcd_20240301T1120Z_fe123456.log.gz', 'vpc-flow-log')).toBe('2024-03-01T11:20:00.000Z');
  });
});

describe('pacing', () => {
  it('a token bucket never lets more than its rate into one second (run at 20/s to stay quick)', async () => {
    const bucket = new TokenBucket(20);
    const sent: number[] = [];
    for (let i = 0; i < 8; i++) {
      await bucket.take();
      sent.push(performance.now());
    }
    // 20 per second: any 21 requests span at least a second; scaled down, any 3 span at least 100 ms.
    for (let i = 2; i < sent.length; i++) expect(sent[i]! - sent[i - 2]!).toBeGreaterThanOrEqual(99);
  });

  it('backs off 1, 2, 4 … 20 s with bounded jitter', () => {
    expect([1, 2, 3, 6, 10].map((a) => backoffMs(a, () => 0))).toEqual([1000, 2000, 4000, 20000, 20000]);
    expect(backoffMs(1, () => 1)).toBe(1250);
  });

  it('estimates the time left from the oldest event reached (LookupEvents returns newest first)', () => {
    expect(lookupEstimate(1234, 25, 12_000, '2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z', '2024-05-01T18:00:00Z')).toBe('1,234 events, 25 pages, 12 s elapsed, about 36 s left');
    expect(lookupEstimate(0, 1, 500, '2024-05-01T00:00:00Z', '2024-05-02T00:00:00Z', null)).toBe('0 events, 1 page, 1 s elapsed');
  });

  it('turns a flow log format into the header line, refusing anything else', () => {
    expect(headerFromFormat('${version} ${srcaddr}  ${dstaddr}')).toBe('version srcaddr dstaddr');
    expect(() => headerFromFormat('version; rm -rf')).toThrow(/Not a flow log format/);
  });
});
