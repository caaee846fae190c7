/**
 * Real AWS SDK v3 clients pointed at a running fake: endpoint override plus the fake's test
 * credentials. Used by the fake's own tests and by any test that drives Caseward's AWS code.
 */
import { EBSClient } from '@aws-sdk/client-ebs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { TEST_CREDENTIALS, type FakeIdentity } from './credentials.js';

/** What the clients need to know about a fake. */
export interface FakeEndpoint {
  endpoint: string;
  region: string;
}

/** Client options: credentials (default the examiner's), region, retry attempts. */
export interface FakeClientOptions {
  identity?: Pick<FakeIdentity, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;
  region?: string;
  maxAttempts?: number;
}

function config(fake: FakeEndpoint, opts: FakeClientOptions) {
  const id = opts.identity ?? TEST_CREDENTIALS;
  return {
    region: opts.region ?? fake.region,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, sessionToken: id.sessionToken },
    maxAttempts: opts.maxAttempts ?? 3,
  };
}

/** An EC2 client for the fake. */
export function fakeEc2(fake: FakeEndpoint, opts: FakeClientOptions = {}): EC2Client {
  return new EC2Client(config(fake, opts));
}

/** An EBS direct client for the fake. */
export function fakeEbs(fake: FakeEndpoint, opts: FakeClientOptions = {}): EBSClient {
  return new EBSClient(config(fake, opts));
}

/** An STS client for the fake. */
export function fakeSts(fake: FakeEndpoint, opts: FakeClientOptions = {}): STSClient {
  return new STSClient(config(fake, opts));
}

/** An IAM client for the fake (IAM is global: signed for us-east-1 unless told). */
export function fakeIam(fake: FakeEndpoint, opts: FakeClientOptions = {}): IAMClient {
  return new IAMClient(config(fake, { region: 'us-east-1', ...opts }));
}
