/**
 * The identities the fake knows. Requests signed with anything else fail the way AWS fails them.
 * Account ids are the ones AWS's own documentation uses for examples.
 */

/** One principal: its keys and who STS says it is. */
export interface FakeIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials carry a session token that must come with every request. */
  sessionToken?: string;
  accountId: string;
  arn: string;
  userId: string;
}

/** The victim account: where the fixture instances, volumes and snapshots live. */
export const VICTIM_ACCOUNT_ID = '111122223333';
/** The forensic account snapshots are shared with and copied into. */
export const FORENSIC_ACCOUNT_ID = '444455556666';

/** Access key id of the examiner in the victim account (long-term IAM user keys). */
export const TEST_ACCESS_KEY_ID = 'AKIACASEWARDTEST0001';
/** Secret of TEST_ACCESS_KEY_ID. Contains '+' and '/' like real secrets. */
export const TEST_SECRET_ACCESS_KEY = 'caseward+fake/secret+key/for+tests+00001';

/** The examiner's identity in the victim account. */
export const TEST_CREDENTIALS: FakeIdentity = {
  accessKeyId: TEST_ACCESS_KEY_ID,
  secretAccessKey: TEST_SECRET_ACCESS_KEY,
  accountId: VICTIM_ACCOUNT_ID,
  arn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:user/examiner`,
  userId: 'AIDACASEWARDEXAMINER',
};

/** A user in the forensic account (receives shared snapshots, makes re-encrypted copies). */
export const FORENSIC_CREDENTIALS: FakeIdentity = {
  accessKeyId: 'AKIACASEWARDFORENSIC',
  secretAccessKey: 'caseward+fake/secret+key/forensics+00002',
  accountId: FORENSIC_ACCOUNT_ID,
  arn: `arn:aws:iam::${FORENSIC_ACCOUNT_ID}:user/forensics`,
  userId: 'AIDACASEWARDFORENSIC',
};

/** Temporary credentials of an assumed role in the victim account (session token required). */
export const SESSION_CREDENTIALS: FakeIdentity = {
  accessKeyId: 'ASIACASEWARDSESSION1',
  secretAccessKey: 'caseward+fake/secret+key/session+0000003',
  sessionToken: 'FwoGZXIvYXdzEC4aDCasewardFakeSessionTokenForTests0000000001',
  accountId: VICTIM_ACCOUNT_ID,
  arn: `arn:aws:sts::${VICTIM_ACCOUNT_ID}:assumed-role/IncidentResponse/examiner-session`,
  userId: 'AROACASEWARDINCIDENT:examiner-session',
};

/** All identities a fresh fake accepts. */
export const DEFAULT_IDENTITIES: readonly FakeIdentity[] = [TEST_CREDENTIALS, FORENSIC_CREDENTIALS, SESSION_CREDENTIALS];
