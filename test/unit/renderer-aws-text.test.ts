// The AWS tab's plain-word texts: the confirmation lists exactly what changes, preflight sentences name the missing permission.
import { describe, expect, it } from 'vitest';
import { parseRegions, preflightSentence, preserveChanges, type PreserveChoice } from '../../renderer/src/components/aws/aws-text.js';
import type { AwsInstanceDetail } from '../../shared/contract-aws.js';

const detail = {
  region: 'us-east-1',
  instanceId: 'i-0a1b2c3d4e5f60001',
  summary: {
    instanceId: 'i-0a1b2c3d4e5f60001',
    name: 'web-1',
    tags: [],
    state: 'running',
    instanceType: 't3.medium',
    availabilityZone: 'us-east-1a',
    launchTime: null,
    privateIpAddress: null,
    publicIpAddress: null,
    securityGroups: [
      { groupId: 'sg-0000000000000000a', groupName: 'web-public' },
      { groupId: 'sg-0000000000000000b', groupName: null },
    ],
    iamInstanceProfileArn: null,
    volumes: [
      { volumeId: 'vol-0000000000000001', deviceName: '/dev/xvda', deleteOnTermination: true },
      { volumeId: 'vol-0000000000000002', deviceName: '/dev/sdf', deleteOnTermination: true },
    ],
  },
  describe: { VpcId: 'vpc-00000000000000001', NetworkInterfaces: [{ NetworkInterfaceId: 'eni-00000000000000001' }] },
  attributes: { ok: false, code: 'FORBIDDEN', message: 'denied' },
  volumes: { ok: true, value: [] },
  securityGroups: { ok: true, value: [] },
  networkInterfaces: { ok: true, value: [] },
  iam: null,
  requestIds: [],
} satisfies AwsInstanceDetail;

const none: PreserveChoice = { tag: false, terminationProtection: false, deleteOnTerminationFalse: false, isolate: { kind: 'none' } };

describe('preserveChanges', () => {
  it('lists nothing when nothing is chosen', () => {
    expect(preserveChanges(none, detail, 'CW-1')).toEqual([]);
  });

  it('names every resource the tags go on, and each device whose DeleteOnTermination changes', () => {
    const lines = preserveChanges({ ...none, tag: true, deleteOnTerminationFalse: true }, detail, 'CW-1');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'Add tags CasewardCase=CW-1 and CasewardEvidence=true to i-0a1b2c3d4e5f60001, vol-0000000000000001, vol-0000000000000002, eni-00000000000000001 (CreateTags).',
    );
    expect(lines[1]).toContain('/dev/xvda (vol-0000000000000001), /dev/sdf (vol-0000000000000002)');
  });

  it('says which groups isolation replaces, and with what', () => {
    const created = preserveChanges({ ...none, isolate: { kind: 'create' } }, detail, 'CW-1');
    expect(created[0]).toContain('caseward-isolation-CW-1 in vpc-00000000000000001');
    expect(created[1]).toContain('sg-0000000000000000a (web-public), sg-0000000000000000b');
    const existing = preserveChanges({ ...none, terminationProtection: true, isolate: { kind: 'existing', groupId: 'sg-0000000000000000c' } }, detail, 'CW-1');
    expect(existing).toEqual([
      'Set DisableApiTermination=true on i-0a1b2c3d4e5f60001 (ModifyInstanceAttribute).',
      expect.stringContaining('with sg-0000000000000000c only'),
    ]);
  });
});

describe('preflightSentence', () => {
  it('names the missing permission of a denied call', () => {
    const s = preflightSentence({
      action: 'isolate',
      outcome: 'denied',
      calls: [
        { api: 'ec2:CreateSecurityGroup', outcome: 'denied', missingPermission: 'ec2:CreateSecurityGroup' },
        { api: 'ec2:ModifyInstanceAttribute', outcome: 'allowed' },
      ],
    });
    expect(s).toContain('the credentials lack ec2:CreateSecurityGroup.');
    expect(s).not.toContain('ModifyInstanceAttribute');
  });

  it('says what would succeed, and what could not be checked', () => {
    expect(preflightSentence({ action: 'tag', outcome: 'allowed', calls: [{ api: 'ec2:CreateTags', outcome: 'allowed' }] })).toBe('Allowed: ec2:CreateTags would succeed.');
    expect(preflightSentence({ action: 'tag', outcome: 'unknown', calls: [{ api: 'ec2:CreateTags', outcome: 'unknown', message: 'Rate exceeded' }] })).toBe(
      'Could not be checked: Rate exceeded.',
    );
  });
});

describe('parseRegions', () => {
  it('splits on commas and spaces and drops duplicates', () => {
    expect(parseRegions(' us-east-1, eu-west-1  us-east-1,')).toEqual(['us-east-1', 'eu-west-1']);
    expect(parseRegions('  ')).toEqual([]);
  });
});
