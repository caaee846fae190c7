import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { normaliseRecord, toUtcIso, tryNormalise } from '../../main/core/logs/cloudtrail/record.js';

const assumedRole = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:session-1',
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/session-1',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
      attributes: { creationDate: '2024-07-31T12:00:00Z', mfaAuthenticated: 'false' },
    },
  },
  eventTime: '2024-07-31T12:46:41Z',
  eventSource: 'ec2.amazonaws.com',
  eventName: 'ModifySnapshotAttribute',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.9',
  userAgent: 'aws-cli/2.15.0',
  requestParameters: { snapshotId: 'snap-0123', createVolumePermission: { add: { items: [{ userId: '444455556666' }] } } },
  responseElements: { _return: true },
  requestID: 'req-1',
  eventID: 'ee73c230-44bc-4492-8542-cfb189eae287',
  readOnly: false,
  resources: [{ ARN: 'arn:aws:ec2:eu-west-1::snapshot/snap-0123', accountId: '111122223333' }, { accountId: 'no-arn' }],
  eventType: 'AwsApiCall',
  managementEvent: true,
  recipientAccountId: '111122223333',
  eventCategory: 'Management',
};

describe('normaliseRecord', () => {
  it('extracts the fields an examiner filters on, and keeps the raw text', () => {
    const raw = JSON.stringify(assumedRole, null, 2);
    const r = normaliseRecord(raw);
    expect(r).toMatchObject({
      eventTime: '2024-07-31T12:46:41.000Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'ModifySnapshotAttribute',
      eventId: 'ee73c230-44bc-4492-8542-cfb189eae287',
      dedupeKey: 'ee73c230-44bc-4492-8542-cfb189eae287',
      awsRegion: 'eu-west-1',
      recipientAccountId: '111122223333',
      sourceIpAddress: '203.0.113.9',
      userAgent: 'aws-cli/2.15.0',
      errorCode: null,
      readOnly: false,
      managementEvent: true,
      eventType: 'AwsApiCall',
      eventCategory: 'Management',
      requestId: 'req-1',
      userType: 'AssumedRole',
      userArn: 'arn:aws:sts::111122223333:assumed-role/Admin/session-1',
      userPrincipalId: 'AROAEXAMPLE:session-1',
      userAccountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      userName: null,
      sessionIssuerType: 'Role',
      sessionIssuerArn: 'arn:aws:iam::111122223333:role/Admin',
      sessionIssuerUserName: 'Admin',
      mfaAuthenticated: false,
      actor: 'Admin/session-1',
      resources: ['arn:aws:ec2:eu-west-1::snapshot/snap-0123'],
    });
    expect(JSON.parse(r.requestParameters!)).toEqual(assumedRole.requestParameters);
    expect(r.responseElements).toBe('{"_return":true}');
    expect(r.additionalEventData).toBeNull();
    expect(r.raw).toBe(raw);
    // Every value maps onto a table column: strings, numbers, booleans, null, or a list of ARNs.
    for (const [k, v] of Object.entries(r)) {
      if (k === 'resources') continue;
      expect(['string', 'boolean', 'object'].includes(typeof v) && (typeof v !== 'object' || v === null), k).toBe(true);
    }
  });

  it('names IAM users, the root user and AWS services as the actor', () => {
    const user = normaliseRecord(JSON.stringify({ ...assumedRole, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/alice', userName: 'alice' } }));
    expect(user.actor).toBe('alice');
    const root = normaliseRecord(JSON.stringify({ ...assumedRole, userIdentity: { type: 'Root', arn: 'arn:aws:iam::1:root', principalId: '1' } }));
    expect(root.actor).toBe('1');
    const svc = normaliseRecord(JSON.stringify({ ...assumedRole, userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }));
    expect(svc).toMatchObject({ actor: 'ec2.amazonaws.com', invokedBy: 'ec2.amazonaws.com', userArn: null, mfaAuthenticated: null });
  });

  it('converts event times to UTC with milliseconds and refuses times without a zone', () => {
    expect(toUtcIso('2024-07-31T12:46:41Z')).toBe('2024-07-31T12:46:41.000Z');
    expect(toUtcIso('2024-07-31T14:46:41.5+02:00')).toBe('2024-07-31T12:46:41.500Z');
    expect(toUtcIso('2024-07-31T12:46:41')).toBeNull();
    expect(toUtcIso('2024-13-45T12:46:41Z')).toBeNull();
    expect(toUtcIso('yesterday')).toBeNull();
    const r = tryNormalise({ ...assumedRole, eventTime: '2024-07-31 12:46:41' }, '{}');
    expect(r).toEqual({ ok: false, problem: { code: 'bad-event-time', message: 'eventTime "2024-07-31 12:46:41" is not a UTC time' } });
  });

  it('reports every missing required field at once', () => {
    const { eventTime: _t, eventName: _n, ...rest } = assumedRole;
    expect(tryNormalise({ ...rest, eventSource: '' }, '{}')).toEqual({
      ok: false,
      problem: { code: 'missing-field', message: 'missing eventTime, eventSource, eventName' },
    });
    expect(tryNormalise([1, 2], '[1,2]')).toMatchObject({ ok: false, problem: { code: 'not-an-object' } });
    expect(tryNormalise(null, 'null')).toMatchObject({ ok: false, problem: { code: 'not-an-object', message: 'element is null, not a JSON object' } });
  });

  it('keeps a record without eventID, deduplicated by the hash of its exact text', () => {
    const { eventID: _id, ...rest } = assumedRole;
    const raw = JSON.stringify(rest);
    const r = normaliseRecord(raw);
    expect(r.eventId).toBeNull();
    expect(r.dedupeKey).toBe(`sha256:${createHash('sha256').update(raw).digest('hex')}`);
  });

  it('throws INVALID_INPUT for text that is not a usable record', () => {
    expect(() => normaliseRecord('{"eventTime": ')).toThrow(AppError);
    expect(() => normaliseRecord('{"eventTime": ')).toThrow(/invalid JSON/);
    expect(() => normaliseRecord('{"a":1}')).toThrow(/missing eventTime, eventSource, eventName/);
  });
});
