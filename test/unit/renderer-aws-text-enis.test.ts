// The preservation confirmation names every network interface isolation changes, with its current groups.
import { describe, expect, it } from 'vitest';
import { preflightSentence, preserveChanges, type PreserveChoice } from '../../renderer/src/components/aws/aws-text.js';
import type { AwsInstanceDetail } from '../../shared/contract-aws.js';

const eni = (id: string, deviceIndex: number, groups: [string, string | null][]) => ({
  NetworkInterfaceId: id,
  Attachment: { DeviceIndex: deviceIndex },
  Groups: groups.map(([GroupId, GroupName]) => ({ GroupId, GroupName })),
});

const detail = (enis: ReturnType<typeof eni>[]) =>
  ({
    region: 'us-east-1',
    instanceId: 'i-0a1b2c3d4e5f60003',
    summary: {
      instanceId: 'i-0a1b2c3d4e5f60003',
      name: 'bastion-1',
      tags: [],
      state: 'running',
      instanceType: 't3.small',
      availabilityZone: 'us-east-1a',
      launchTime: null,
      privateIpAddress: null,
      publicIpAddress: null,
      securityGroups: [{ groupId: 'sg-0000000000000000a', groupName: 'web-public' }],
      iamInstanceProfileArn: null,
      volumes: [],
    },
    describe: { VpcId: 'vpc-00000000000000001', NetworkInterfaces: enis },
    attributes: { ok: false, code: 'FORBIDDEN', message: 'denied' },
    volumes: { ok: true, value: [] },
    securityGroups: { ok: true, value: [] },
    networkInterfaces: { ok: true, value: [] },
    iam: null,
    requestIds: [],
  }) satisfies AwsInstanceDetail;

const isolate = (kind: 'create' | 'existing'): PreserveChoice => ({
  tag: false,
  terminationProtection: false,
  deleteOnTerminationFalse: false,
  isolate: kind === 'create' ? { kind } : { kind, groupId: 'sg-0000000000000000c' },
});

describe('preserveChanges with several network interfaces', () => {
  const two = detail([eni('eni-00000000000000002', 1, [['sg-0000000000000000b', null], ['sg-0000000000000000d', 'default']]), eni('eni-00000000000000001', 0, [['sg-0000000000000000a', 'web-public']])]);

  it('lists one ModifyNetworkInterfaceAttribute per interface in device order (one line per change), with its current groups', () => {
    const lines = preserveChanges(isolate('existing'), two, 'CW-1');
    expect(lines).toEqual([
      'Replace the security groups of interface eni-00000000000000001 (device 0): sg-0000000000000000a (web-public) with sg-0000000000000000c only (ModifyNetworkInterfaceAttribute).',
      expect.stringMatching(
        /^Replace the security groups of interface eni-00000000000000002 \(device 1\): sg-0000000000000000b, sg-0000000000000000d \(default\) with sg-0000000000000000c only \(ModifyNetworkInterfaceAttribute\)\. The 2 interfaces change one after another.*Restore groups.*If one fails, the ones before it stay isolated/,
      ),
    ]);
    expect(lines.join('\n')).not.toContain('ModifyInstanceAttribute');
  });

  it('creates the group first, then changes each interface to it', () => {
    const lines = preserveChanges(isolate('create'), two, 'CW-1');
    expect(lines[0]).toContain('caseward-isolation-CW-1 in vpc-00000000000000001');
    expect(lines.filter((l) => l.includes('with that group only (ModifyNetworkInterfaceAttribute)'))).toHaveLength(2);
  });

  it('names the single interface of a one-interface instance, which keeps ModifyInstanceAttribute', () => {
    const lines = preserveChanges(isolate('existing'), detail([eni('eni-00000000000000001', 0, [['sg-0000000000000000a', 'web-public']])]), 'CW-1');
    expect(lines).toEqual([expect.stringContaining('(interface eni-00000000000000001) with sg-0000000000000000c only (ModifyInstanceAttribute)')]);
  });
});

describe('preflightSentence with a check per interface', () => {
  it('names each API once', () => {
    const calls = [
      { api: 'ec2:CreateSecurityGroup', outcome: 'allowed' as const },
      { api: 'ec2:ModifyNetworkInterfaceAttribute', outcome: 'allowed' as const },
      { api: 'ec2:ModifyNetworkInterfaceAttribute', outcome: 'allowed' as const },
    ];
    expect(preflightSentence({ action: 'isolate', outcome: 'allowed', calls })).toBe('Allowed: ec2:CreateSecurityGroup, ec2:ModifyNetworkInterfaceAttribute would succeed.');
    const denied = calls.map((c, i) => (i === 0 ? c : { ...c, outcome: 'denied' as const, missingPermission: c.api }));
    expect(preflightSentence({ action: 'isolate', outcome: 'denied', calls: denied })).toContain('lack ec2:ModifyNetworkInterfaceAttribute. Ask');
  });
});
