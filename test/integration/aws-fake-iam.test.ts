/**
 * STS and IAM in the AWS fake through the real SDK: who the examiner is acting as, an assumed
 * role, and the instance profile's role with its inline and managed policies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { FIXTURE, FORENSIC_CREDENTIALS, TEST_CREDENTIALS, VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { fakeIam, fakeSts } from '../aws-fake/clients.js';
import { awsError } from '../aws-fake/test-helpers.js';

let fake: AwsFake;
let iam: IAMClient;
beforeEach(async () => {
  fake = await startAwsFake();
  iam = fakeIam(fake);
});
afterEach(async () => {
  iam.destroy();
  await fake.close();
});

describe('aws fake: STS', () => {
  it('says who the caller is, with the request id in the call log', async () => {
    const who = await fakeSts(fake).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: VICTIM_ACCOUNT_ID, Arn: TEST_CREDENTIALS.arn, UserId: TEST_CREDENTIALS.userId });
    expect(fake.calls[0]).toMatchObject({ service: 'sts', action: 'GetCallerIdentity', requestId: who.$metadata.requestId, status: 200 });
    const forensic = await fakeSts(fake, { identity: FORENSIC_CREDENTIALS }).send(new GetCallerIdentityCommand({}));
    expect(forensic.Account).toBe(FORENSIC_CREDENTIALS.accountId);
  });

  it('assumes a role; the temporary credentials work and carry the assumed-role identity', async () => {
    const out = await fakeSts(fake).send(new AssumeRoleCommand({ RoleArn: FIXTURE.incidentRoleArn, RoleSessionName: 'case-42' }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration!.getTime()).toBeGreaterThan(Date.now());
    const who = await fakeSts(fake, { identity: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(who.Arn).toBe(`arn:aws:sts::${VICTIM_ACCOUNT_ID}:assumed-role/IncidentResponse/case-42`);
    expect(out.AssumedRoleUser?.Arn).toBe(who.Arn);
    const denied = await awsError(fakeSts(fake).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:role/Nope`, RoleSessionName: 'x' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe('aws fake: IAM', () => {
  it('describes the instance profile, its role and the role policies', async () => {
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: FIXTURE.instanceProfileName }))).InstanceProfile!;
    expect(profile.Arn).toBe(`arn:aws:iam::${VICTIM_ACCOUNT_ID}:instance-profile/web-app-profile`);
    expect(profile.Roles?.map((r) => r.RoleName)).toEqual([FIXTURE.roleName]);
    expect(JSON.parse(decodeURIComponent(profile.Roles![0]!.AssumeRolePolicyDocument!)).Statement[0].Principal.Service).toBe('ec2.amazonaws.com');

    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: FIXTURE.roleName }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([FIXTURE.awsPolicyArn, FIXTURE.customerPolicyArn]);
    expect(attached.IsTruncated).toBe(false);
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName: FIXTURE.roleName }));
    expect(inline.PolicyNames).toEqual(['inline-logs']);
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: FIXTURE.roleName, PolicyName: 'inline-logs' }));
    // IAM returns policy documents URL-encoded; the SDK leaves them that way.
    expect(doc.PolicyDocument).toMatch(/^%7B/);
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!)).Statement[0].Action).toContain('logs:PutLogEvents');

    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: FIXTURE.customerPolicyArn }))).Policy!;
    expect(policy).toMatchObject({ PolicyName: 'web-app-s3-read', DefaultVersionId: 'v2', AttachmentCount: 1 });
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: FIXTURE.customerPolicyArn, VersionId: policy.DefaultVersionId! }))).PolicyVersion!;
    expect(version.IsDefaultVersion).toBe(true);
    expect(decodeURIComponent(version.Document!)).toContain('finance-exports');
  });

  it('answers NoSuchEntity for unknown names and AccessDenied for denied actions', async () => {
    // The wire code is NoSuchEntity; the SDK names the modelled error class NoSuchEntityException.
    expect(await awsError(iam.send(new ListRolePoliciesCommand({ RoleName: 'ghost' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect((await awsError(iam.send(new GetPolicyVersionCommand({ PolicyArn: FIXTURE.customerPolicyArn, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
    fake.state.policy.deny('iam:GetRolePolicy');
    const denied = await awsError(iam.send(new GetRolePolicyCommand({ RoleName: FIXTURE.roleName, PolicyName: 'inline-logs' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('iam:GetRolePolicy');
    // The forensic account does not see the victim's roles.
    const other = fakeIam(fake, { identity: FORENSIC_CREDENTIALS });
    expect((await awsError(other.send(new GetInstanceProfileCommand({ InstanceProfileName: FIXTURE.instanceProfileName })))).name).toBe('NoSuchEntityException');
    other.destroy();
  });
});
