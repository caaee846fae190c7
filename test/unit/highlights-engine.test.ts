/** The highlight engine on synthetic CloudTrail records: what fires, what stays quiet, and bursts. */
import { describe, expect, it } from 'vitest';
import { normaliseRecord, type CloudTrailRecord } from '../../main/core/logs/cloudtrail/index.js';
import { builtInRules, evaluate, evaluateStream, HighlightEvaluator, isPublicNonAwsIp } from '../../main/core/logs/highlights/index.js';

const ACCOUNT = '111122223333';
let seq = 0;

/** A plausible management event by an IAM user; `extra` overrides top-level fields. */
function ev(eventSource: string, eventName: string, extra: Record<string, unknown> = {}, at = '2024-05-01T10:00:00Z'): CloudTrailRecord {
  seq += 1;
  return normaliseRecord(JSON.stringify({
    eventVersion: '1.09', eventTime: at, eventSource, eventName, awsRegion: 'eu-west-1',
    eventID: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, recipientAccountId: ACCOUNT,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' },
    sourceIPAddress: '198.51.100.7', userAgent: 'aws-cli/2.15.0', requestParameters: null, responseElements: null,
    ...extra,
  }));
}

function ruleIds(records: CloudTrailRecord[]): string[] {
  return evaluate(records, builtInRules()).map((h) => h.ruleId).sort();
}

function at(i: number): string {
  return new Date(Date.parse('2024-05-01T10:00:00Z') + i * 1000).toISOString();
}

describe('highlights engine: quiet on benign activity', () => {
  it('read-only Describe/List calls, an MFA console login and ordinary writes produce no hits', () => {
    const benign = [
      ...['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots', 'DescribeSecurityGroups'].map((n, i) => ev('ec2.amazonaws.com', n, { readOnly: true }, at(i))),
      ev('s3.amazonaws.com', 'ListBuckets', { readOnly: true }),
      ev('iam.amazonaws.com', 'ListUsers', { readOnly: true }),
      ev('signin.amazonaws.com', 'ConsoleLogin', { responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }),
      ev('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: { groupId: 'sg-1', ipPermissions: { items: [{ fromPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] } } }),
      ev('ec2.amazonaws.com', 'ModifySnapshotAttribute', { requestParameters: { snapshotId: 'snap-1', createVolumePermission: { remove: { items: [{ userId: '444455556666' }] } } } }),
      ev('iam.amazonaws.com', 'AttachRolePolicy', { requestParameters: { roleName: 'r', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }),
      ev('iam.amazonaws.com', 'UpdateAssumeRolePolicy', { requestParameters: { roleName: 'r', policyDocument: `{"Statement":[{"Principal":{"AWS":"arn:aws:iam::${ACCOUNT}:root"}}]}` } }),
      ev('ssm.amazonaws.com', 'GetParameter', { requestParameters: { name: '/app/url', withDecryption: false } }),
      ev('lambda.amazonaws.com', 'AddPermission20150331v2', { requestParameters: { functionName: 'f', principal: 's3.amazonaws.com' } }),
      ev('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: 'd', enable: true } }),
      ev('ec2.amazonaws.com', 'RunInstances', { requestParameters: { instanceType: 't3.micro' } }),
      // Instance role used from inside AWS: the service name, not an address.
      ev('s3.amazonaws.com', 'GetObject', { userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/i-0abc1234def567890`, accountId: ACCOUNT }, sourceIPAddress: 'ec2.amazonaws.com' }),
      ev('s3.amazonaws.com', 'GetObject', { userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/i-0abc1234def567890`, accountId: ACCOUNT }, sourceIPAddress: '10.1.2.3' }),
    ];
    expect(evaluate(benign, builtInRules())).toEqual([]);
  });

  it('a few secret reads, or many calls of one Describe API (polling), are not a burst', () => {
    const few = [0, 1, 2, 3].map((i) => ev('secretsmanager.amazonaws.com', 'GetSecretValue', {}, at(i)));
    const polling = Array.from({ length: 60 }, (_, i) => ev('ssm.amazonaws.com', 'DescribeInstanceInformation', {}, at(i)));
    expect(ruleIds([...few, ...polling])).toEqual([]);
  });
});

describe('highlights engine: flags what it should', () => {
  it.each([
    ['guardduty-delete-detector', ev('guardduty.amazonaws.com', 'DeleteDetector', { requestParameters: { detectorId: 'd' } })],
    ['guardduty-disable-detector', ev('guardduty.amazonaws.com', 'UpdateDetector', { requestParameters: { detectorId: 'd', enable: false } })],
    ['guardduty-archive-filter', ev('guardduty.amazonaws.com', 'CreateFilter', { requestParameters: { action: 'ARCHIVE', name: 'hide' } })],
    ['securityhub-disabled', ev('securityhub.amazonaws.com', 'DisableSecurityHub')],
    ['cloudtrail-update-trail', ev('cloudtrail.amazonaws.com', 'UpdateTrail', { requestParameters: { name: 't' } })],
    ['console-login-failed', ev('signin.amazonaws.com', 'ConsoleLogin', { errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } })],
    ['iam-inline-wildcard-policy', ev('iam.amazonaws.com', 'PutUserPolicy', { requestParameters: { userName: 'u', policyDocument: '{"Statement":[{"Effect":"Allow","Action": ["*"],"Resource":"*"}]}' } })],
    ['s3-bucket-policy-public', ev('s3.amazonaws.com', 'PutBucketPolicy', { requestParameters: { bucketName: 'b', bucketPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }] } } })],
    ['s3-bucket-acl-public', ev('s3.amazonaws.com', 'PutBucketAcl', { requestParameters: { bucketName: 'b', AccessControlPolicy: { AccessControlList: { Grant: [{ Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] } } } })],
    ['kms-schedule-key-deletion', ev('kms.amazonaws.com', 'ScheduleKeyDeletion', { requestParameters: { keyId: 'k', pendingWindowInDays: 7 } })],
    ['kms-disable-key', ev('kms.amazonaws.com', 'DisableKey', { requestParameters: { keyId: 'k' } })],
    ['cloudwatch-log-group-deleted', ev('logs.amazonaws.com', 'DeleteLogGroup', { requestParameters: { logGroupName: '/aws/x' } })],
    ['security-group-open-to-world', ev('ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { requestParameters: { groupId: 'sg-1', ipPermissions: { items: [{ fromPort: 3389, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] } } })],
  ])('%s', (rule, record) => {
    expect(ruleIds([record])).toEqual([rule]);
  });

  it('a snapshot shared with "all" is both shared and public', () => {
    const r = ev('ec2.amazonaws.com', 'ModifySnapshotAttribute', { requestParameters: { snapshotId: 'snap-1', createVolumePermission: { add: { items: [{ group: 'all' }] } } } });
    const hits = evaluate([r], builtInRules());
    expect(hits.map((h) => h.ruleId).sort()).toEqual(['ebs-snapshot-public', 'ebs-snapshot-shared']);
    expect(hits.find((h) => h.ruleId === 'ebs-snapshot-shared')!.summary).toContain('snap-1 shared with all');
  });

  it('errorCode "none" rules ignore failed calls; "any" rules report them as failed', () => {
    expect(ruleIds([ev('iam.amazonaws.com', 'CreateUser', { errorCode: 'AccessDenied', requestParameters: { userName: 'x' } })])).toEqual([]);
    const [hit] = evaluate([ev('cloudtrail.amazonaws.com', 'DeleteTrail', { errorCode: 'AccessDenied', requestParameters: { name: 't' } })], builtInRules());
    expect(hit!.ruleId).toBe('cloudtrail-delete-trail');
  });

  it('instance credentials used from a public address by a non-AWS client are flagged', () => {
    const identity = { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/i-0abc1234def567890`, accountId: ACCOUNT };
    expect(ruleIds([ev('sts.amazonaws.com', 'GetCallerIdentity', { userIdentity: identity, sourceIPAddress: '203.0.113.9' })])).toEqual(['instance-credentials-outside-aws']);
    // A session not named after an instance is an ordinary assumed role.
    const human = { ...identity, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/alice` };
    expect(ruleIds([ev('sts.amazonaws.com', 'GetCallerIdentity', { userIdentity: human, sourceIPAddress: '203.0.113.9' })])).toEqual([]);
  });

  it('notAwsIp: public literal addresses only', () => {
    expect(isPublicNonAwsIp('203.0.113.9')).toBe(true);
    expect(isPublicNonAwsIp('075.050.255.67')).toBe(true);
    expect(isPublicNonAwsIp('2001:db8::1')).toBe(true);
    for (const v of ['ec2.amazonaws.com', 'AWS Internal', '10.0.0.1', '172.20.1.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '300.1.1.1', null]) {
      expect(isPublicNonAwsIp(v), String(v)).toBe(false);
    }
  });
});

describe('highlights engine: aggregate rules', () => {
  it('a discovery burst fires once per burst, names the identity and lists the events', () => {
    const names = ['ListUsers', 'ListRoles', 'ListPolicies', 'ListBuckets', 'ListFunctions', 'ListKeys', 'ListSecrets', 'ListTrails',
      'DescribeInstances', 'DescribeVpcs', 'DescribeSubnets', 'DescribeSnapshots', 'DescribeDBInstances', 'GetAccountSummary', 'GetCallerIdentity', 'ListGroups'];
    const burst = names.map((n, i) => ev('iam.amazonaws.com', n, { readOnly: true }, at(i * 5)));
    const hits = evaluate(burst, builtInRules()).filter((h) => h.ruleId === 'discovery-burst');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.relatedEventIds).toHaveLength(15);
    expect(hits[0]!.eventId).toBe(burst[14]!.eventId);
    expect(hits[0]!.summary).toContain(`arn:aws:iam::${ACCOUNT}:user/alice`);
  });

  it('events spread beyond the window do not add up', () => {
    const slow = Array.from({ length: 10 }, (_, i) => ev('secretsmanager.amazonaws.com', 'GetSecretValue', {}, at(i * 120)));
    expect(ruleIds(slow)).toEqual([]);
    const fast = Array.from({ length: 10 }, (_, i) => ev('secretsmanager.amazonaws.com', 'GetSecretValue', {}, at(i * 10)));
    expect(ruleIds(fast)).toEqual(['secrets-bulk-read', 'secrets-bulk-read']);
  });

  it('bursts are counted per identity', () => {
    const mixed = Array.from({ length: 8 }, (_, i) => ev('secretsmanager.amazonaws.com', 'GetSecretValue', {
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/u${i % 2}`, accountId: ACCOUNT },
    }, at(i)));
    expect(ruleIds(mixed)).toEqual([]);
  });

  it('streams: evaluateStream and push give the same hits as evaluate', async () => {
    const records = Array.from({ length: 6 }, (_, i) => ev('ssm.amazonaws.com', 'GetParameters', { requestParameters: { names: ['/a'], withDecryption: true } }, at(i)));
    async function* source(): AsyncGenerator<CloudTrailRecord> { yield* records; }
    const streamed = [];
    for await (const h of evaluateStream(source(), builtInRules())) streamed.push(h);
    expect(streamed).toEqual(evaluate(records, builtInRules()));
    expect(streamed).toHaveLength(2);
    const ev1 = new HighlightEvaluator(builtInRules());
    expect(records.flatMap((r) => ev1.push(r))).toEqual(streamed);
  });
});
