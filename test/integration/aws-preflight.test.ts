/** aws.preflight: EC2 DryRun per action against the fake, allowed vs denied with the missing permission named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, type AwsFake } from '../aws-fake/index.js';
import type { Harness } from '../support/app-harness.js';
import { startAwsCase } from '../support/aws-case.js';

let fake: AwsFake;
let h: Harness;
let caseId: string;
let connectionId: string;

beforeAll(async () => {
  ({ fake, h, caseId, connectionId } = await startAwsCase({ case: { number: 'AWS-3', title: 'AWS preflight' } }));
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

const MUTATING = ['CreateTags', 'ModifyInstanceAttribute', 'CreateSnapshots', 'CreateSecurityGroup'];

describe('aws.preflight', () => {
  it('says allowed for every action when the policy allows, with DryRun only, and notes EBS direct has no DryRun', async () => {
    const p = await h.call('aws.preflight', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId, actions: ['tag', 'protect', 'snapshot', 'isolate'] });
    expect(p.results.map((r) => [r.action, r.outcome])).toEqual([
      ['tag', 'allowed'],
      ['protect', 'allowed'],
      ['snapshot', 'allowed'],
      ['isolate', 'allowed'],
      ['image', 'unknown'],
    ]);
    expect(p.results.at(-1)!.calls[0]!.message).toMatch(/no DryRun/);
    // Every mutating call went out as a DryRun and nothing changed.
    const mutating = fake.calls.filter((c) => MUTATING.includes(c.action));
    expect(mutating.length).toBe(5);
    expect(mutating.every((c) => c.dryRun && c.errorCode === 'DryRunOperation')).toBe(true);
    expect(fake.state.instances.get(FIXTURE.webInstanceId)!.disableApiTermination).toBe(false);
    expect(fake.state.snapshots.size).toBe(2);
    const isolate = p.results.find((r) => r.action === 'isolate')!;
    expect(isolate.calls.map((c) => c.api)).toEqual(['ec2:CreateSecurityGroup', 'ec2:ModifyInstanceAttribute']);
    expect(isolate.calls.every((c) => c.requestId && fake.calls.some((f) => f.requestId === c.requestId))).toBe(true);
  });

  it('names ec2:CreateSnapshots when the policy denies it, and records the results in custody', async () => {
    fake.state.policy.deny('ec2:CreateSnapshots');
    try {
      const p = await h.call('aws.preflight', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId, actions: ['snapshot', 'tag'] });
      const snap = p.results.find((r) => r.action === 'snapshot')!;
      expect(snap.outcome).toBe('denied');
      expect(snap.calls[0]).toMatchObject({ api: 'ec2:CreateSnapshots', outcome: 'denied', missingPermission: 'ec2:CreateSnapshots' });
      expect(p.results.find((r) => r.action === 'tag')!.outcome).toBe('allowed');
      const denied = fake.state.callsFor('CreateSnapshots').at(-1)!;
      expect(denied).toMatchObject({ dryRun: true, errorCode: 'UnauthorizedOperation' });
      expect(snap.calls[0]!.requestId).toBe(denied.requestId);

      const ev = (await h.call('custody.list', { caseId })).events.filter((e) => e.action === 'aws.preflight').at(-1)!;
      expect(ev.details).toMatchObject({ instanceId: FIXTURE.webInstanceId, region: 'us-east-1' });
      expect(ev.details.results).toContainEqual({
        action: 'snapshot',
        outcome: 'denied',
        calls: [{ api: 'ec2:CreateSnapshots', outcome: 'denied', missingPermission: 'ec2:CreateSnapshots', requestId: denied.requestId }],
      });
    } finally {
      fake.state.policy.reset();
    }
  });

  it('denies isolation when ModifyInstanceAttribute is denied, and reports an unknown instance', async () => {
    fake.state.policy.deny('ec2:ModifyInstanceAttribute');
    try {
      const p = await h.call('aws.preflight', { caseId, connectionId, region: 'us-east-1', instanceId: FIXTURE.webInstanceId, actions: ['isolate', 'protect'] });
      const isolate = p.results.find((r) => r.action === 'isolate')!;
      expect(isolate.outcome).toBe('denied');
      expect(isolate.calls.map((c) => c.outcome)).toEqual(['allowed', 'denied']);
      expect(p.results.find((r) => r.action === 'protect')!.calls[0]!.missingPermission).toBe('ec2:ModifyInstanceAttribute');
    } finally {
      fake.state.policy.reset();
    }
    const missing = await h.fail('aws.preflight', { caseId, connectionId, region: 'us-east-1', instanceId: 'i-0123456789abcdef0', actions: ['tag'] });
    expect(missing.code).toBe('NOT_FOUND');
  });
});
