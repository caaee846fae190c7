/**
 * Debian's AWS CLI (botocore: its own serializer, signer and parsers) against the fake's
 * per-interface group change: modify-network-interface-attribute with --dry-run, a denial, the real
 * call, and modify-instance-attribute --groups refused on a two-interface instance as EC2 does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMultiEniInstance } from '../aws-fake/fixtures.js';
import { FIXTURE, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { AWS_CLI, haveAwsCli as haveCli, runAwsCli, type AwsCliResult } from '../support/debian-awscli.js';

if (!haveCli) console.warn(`aws-fake ENI CLI tests skipped: ${AWS_CLI} is absent (install the Debian package awscli)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-aws-eni-cli-'));
let fake: AwsFake;

const aws = (args: string[]): Promise<AwsCliResult> => runAwsCli(fake.endpoint, dir, ['ec2', ...args]);

beforeAll(async () => {
  if (!haveCli) return;
  fake = await startAwsFake();
  addMultiEniInstance(fake.state);
});
afterAll(async () => {
  if (fake) await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!haveCli)('aws fake: per-interface security groups through the AWS CLI', () => {
  it('modify-network-interface-attribute: DryRun, denial, then the change, as describe-network-interfaces shows', async () => {
    const eni = FIXTURE.multiEniSecondaryId;
    const args = ['modify-network-interface-attribute', '--network-interface-id', eni, '--groups', FIXTURE.defaultGroupId];
    const dry = await aws([...args, '--dry-run']);
    expect(dry.code).not.toBe(0);
    expect(dry.stderr).toMatch(/\(DryRunOperation\).*ModifyNetworkInterfaceAttribute.*Request would have succeeded, but DryRun flag is set/);
    const sent = fake.state.callsFor('ModifyNetworkInterfaceAttribute').at(-1)!;
    expect(sent).toMatchObject({ dryRun: true, status: 412 });
    expect(sent.params).toMatchObject({ NetworkInterfaceId: eni, 'SecurityGroupId.1': FIXTURE.defaultGroupId, DryRun: 'true' });

    fake.state.policy.deny('ec2:ModifyNetworkInterfaceAttribute');
    try {
      const denied = await aws(args);
      expect(denied.stderr).toMatch(/\(UnauthorizedOperation\).*not authorized.*ec2:ModifyNetworkInterfaceAttribute.*network-interface\/eni-/);
    } finally {
      fake.state.policy.reset();
    }
    expect(fake.state.networkInterfaces.get(eni)!.groupIds).toEqual([FIXTURE.sshGroupId, FIXTURE.defaultGroupId]);

    const done = await aws(args);
    expect(done.code, done.stderr).toBe(0);
    const listed = await aws(['describe-network-interfaces', '--network-interface-ids', eni]);
    const groups = (JSON.parse(listed.stdout) as { NetworkInterfaces: { Groups: { GroupId: string }[] }[] }).NetworkInterfaces[0]!.Groups;
    expect(groups.map((g) => g.GroupId)).toEqual([FIXTURE.defaultGroupId]);

    const unknown = await aws(['modify-network-interface-attribute', '--network-interface-id', 'eni-0123456789abcdef0', '--groups', FIXTURE.defaultGroupId]);
    expect(unknown.stderr).toMatch(/\(InvalidNetworkInterfaceID\.NotFound\)/);
  });

  it('modify-instance-attribute --groups on a two-interface instance is InvalidInstanceID', async () => {
    const r = await aws(['modify-instance-attribute', '--instance-id', FIXTURE.multiEniInstanceId, '--groups', FIXTURE.defaultGroupId]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\(InvalidInstanceID\) when calling the ModifyInstanceAttribute operation.*?: There are multiple interfaces attached to instance/);
    expect(r.stderr).toContain(`instance '${FIXTURE.multiEniInstanceId}'. Please specify an interface ID for the operation instead.`);
    expect(fake.state.networkInterfaces.get(FIXTURE.multiEniPrimaryId)!.groupIds).toEqual([FIXTURE.webGroupId]);
  });
});
