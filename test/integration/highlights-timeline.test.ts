/**
 * timeline.highlights through the contract: generated CloudTrail files plus two planted attack
 * events are ingested as evidence, then the built-in rules run over the case's stored timeline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords, type CtRecord } from '../support/logs-synthetic.js';

const ACTOR = { type: 'IAMUser', principalId: 'AIDAMALLORY', arn: 'arn:aws:iam::111122223333:user/mallory', accountId: '111122223333', accessKeyId: 'AKIAMALLORY000000000', userName: 'mallory' };

const stopLogging: CtRecord = {
  eventVersion: '1.08', userIdentity: ACTOR, eventTime: '2026-03-01T00:20:00.500Z', eventSource: 'cloudtrail.amazonaws.com',
  eventName: 'StopLogging', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0',
  requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail' }, responseElements: null,
  requestID: 'req-stop', eventID: 'planted-stop-logging', readOnly: false, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
};

const openIngress: CtRecord = {
  eventVersion: '1.08', userIdentity: ACTOR, eventTime: '2026-03-01T00:30:00.250Z', eventSource: 'ec2.amazonaws.com',
  eventName: 'AuthorizeSecurityGroupIngress', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0',
  requestParameters: null, responseElements: { _return: true },
  requestID: 'req-sg', eventID: 'planted-sg-open', readOnly: false, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
};
// The shape EC2 writes: ranges nested under items, reached by the rule's dotted path.
openIngress.requestParameters = {
  groupId: 'sg-0123456789abcdef0',
  ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
} as unknown as Record<string, string>;

/** Synthetic traffic with the two names the generator draws that a rule rightly flags renamed, so it is benign. */
function benignRecords(count: number): CtRecord[] {
  return syntheticRecords(count).map((r) => (r.eventName === 'StopLogging' || r.eventName === 'CreateAccessKey' ? { ...r, eventName: 'GetObject' } : r));
}

describe('timeline.highlights over ingested CloudTrail', () => {
  let h: Harness;
  let caseId: string;
  beforeEach(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR-HL', title: 'Highlights' })).id;
  });
  afterEach(async () => {
    await h.dispose();
  });

  async function ingest(files: string[]): Promise<void> {
    const ids: string[] = [];
    for (const f of files) {
      const r = await h.call('evidence.add', { caseId, sourcePath: f, mode: 'copy' });
      expect((await h.waitJob(caseId, r.jobId)).state).toBe('succeeded');
      ids.push(r.artifactId);
    }
    const { jobId, indexJobId } = await h.call('logs.ingest', { caseId, artifactIds: ids });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
    await h.waitJob(caseId, indexJobId);
  }

  it('flags the planted StopLogging and open-to-world ingress, not the benign events, and honours filters', async () => {
    const dir = path.join(h.root, 'src');
    fs.mkdirSync(dir);
    const benign = benignRecords(3000);
    const a = path.join(dir, '111122223333_CloudTrail_us-east-1_a.json.gz');
    fs.writeFileSync(a, gzipSync(JSON.stringify({ Records: benign.slice(0, 1500) })));
    const b = path.join(dir, '111122223333_CloudTrail_us-east-1_b.json.gz');
    fs.writeFileSync(b, gzipSync(JSON.stringify({ Records: [...benign.slice(1500), openIngress, stopLogging] })));
    await ingest([a, b]);

    const custodyBefore = (await h.call('custody.list', { caseId, limit: 1000 })).total;
    const all = await h.call('timeline.highlights', { caseId });
    expect(all.eventsScanned).toBe(3002);
    expect(all.truncated).toBe(false);
    expect(all.rulesEvaluated).toBeGreaterThan(40);
    // Exactly the two planted events, in event-time order, whatever else the rules saw.
    expect(all.hits.map((x) => [x.eventId, x.ruleId])).toEqual([
      ['planted-stop-logging', 'cloudtrail-stop-logging'],
      ['planted-sg-open', 'security-group-open-to-world'],
    ]);
    const [stop, sg] = all.hits;
    expect(stop!.mitre.map((m) => m.techniqueId)).toEqual(['T1562.008']);
    expect(stop!.severity).toBe('critical');
    expect(stop!.title).toBe('CloudTrail logging stopped');
    expect(stop!.eventTime).toBe('2026-03-01T00:20:00.500Z');
    expect(stop!.summary).toContain('trail/org-trail');
    expect(sg!.mitre.map((m) => m.techniqueId)).toEqual(['T1562.007']);
    expect(sg!.summary).toContain('sg-0123456789abcdef0');
    // A hit's eventId opens the event on the timeline.
    expect((await h.call('timeline.event', { caseId, eventId: sg!.eventId })).eventName).toBe('AuthorizeSecurityGroupIngress');

    const ec2Only = await h.call('timeline.highlights', { caseId, filters: { eventSource: ['ec2.amazonaws.com'] } });
    expect(ec2Only.hits.map((x) => x.ruleId)).toEqual(['security-group-open-to-world']);
    expect(ec2Only.eventsScanned).toBeLessThan(3002);
    const beforeSg = await h.call('timeline.highlights', { caseId, filters: { to: '2026-03-01T00:25:00Z' } });
    expect(beforeSg.hits.map((x) => x.ruleId)).toEqual(['cloudtrail-stop-logging']);
    const critical = await h.call('timeline.highlights', { caseId, severityAtLeast: 'critical' });
    expect(critical.hits.map((x) => x.eventId)).toEqual(['planted-stop-logging']);
    expect(critical.rulesEvaluated).toBeLessThan(all.rulesEvaluated);
    const capped = await h.call('timeline.highlights', { caseId, limit: 1 });
    expect(capped).toMatchObject({ truncated: true, hits: [{ eventId: 'planted-stop-logging' }] });

    // Read-only: the custody log is unchanged.
    expect((await h.call('custody.list', { caseId, limit: 1000 })).total).toBe(custodyBefore);
    const bad = await h.fail('timeline.highlights', { caseId, limit: 5001 });
    expect(bad.code).toBe('INVALID_INPUT');
  });
});
