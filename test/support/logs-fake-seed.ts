/**
 * Puts log evidence into the AWS fake for tests: a signed CloudTrail trail in S3 (logs, digests with
 * their x-amz-meta-signature, the public key for ListPublicKeys) and VPC flow log records in a
 * CloudWatch Logs group. Shared by the integration tests and the browser e2e.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AwsFake } from '../aws-fake/index.js';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';

/** The AWS CLI's CloudTrail validation test key (private half), when ../shared/testdata is present. */
export const AWSCLI_KEY = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'testdata', 'awscli-cloudtrail-validation', 'test_resource', 'sample_private_key.pem');

/** The AWS CLI test key if present, else a generated one (announced, since the trail is then signed with a key no one else knows). */
export function trailPrivateKey(): KeyObject {
  if (fs.existsSync(AWSCLI_KEY)) return createPrivateKey(fs.readFileSync(AWSCLI_KEY));
  console.warn(`Using a generated key instead of the AWS CLI test key pair: ${AWSCLI_KEY} is absent`);
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

export interface SeedTrailOptions {
  /** Where the trail's files are built (a temporary folder). */
  dir: string;
  bucket: string;
  account: string;
  /** Hours of digests (default 3, from 2024-03-01T10:00:31Z). */
  hours?: number;
  privateKey?: KeyObject;
}

/** Builds a signed trail and serves it from the fake's S3 with its signatures as metadata, and its key from ListPublicKeys. */
export async function seedSignedTrail(fake: AwsFake, o: SeedTrailOptions): Promise<Trail> {
  const trail = await buildTrail({ dir: o.dir, privateKey: o.privateKey ?? trailPrivateKey(), hours: o.hours ?? 3, bucket: o.bucket, account: o.account });
  for (const l of trail.logs) fake.logs.putObject(o.bucket, l.s3Key, fs.readFileSync(l.path));
  for (const d of trail.digests) {
    fake.logs.putObject(o.bucket, d.s3Key, fs.readFileSync(d.path), {
      metadata: { signature: d.signatureHex!, 'signature-algorithm': d.signatureAlgorithm! },
      versionId: `v-${path.basename(d.s3Key).slice(-20, -8)}`,
    });
  }
  const k = trail.publicKeys[0]!;
  fake.logs.addPublicKey(Buffer.from(k.value, 'base64'), new Date(String(k.validityStart)), new Date(String(k.validityEnd)));
  return trail;
}

/** The version 2 default flow log format, as the header line of an acquired file. */
export const FLOW_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** One default-format flow record at epoch second t; every fifth is a REJECT. */
export function flowLine(account: string, i: number, t: number): string {
  return `2 ${account} eni-0a1b2c3d 10.0.1.${i % 250} 198.51.100.${i % 7} ${40000 + i} 443 6 10 840 ${t} ${t + 60} ${i % 5 ? 'ACCEPT' : 'REJECT'} OK`;
}

/** `count` records one minute apart from `start` in one stream of a CloudWatch Logs group. */
export function seedFlowLogGroup(fake: AwsFake, o: { group: string; account: string; start: string; count: number; stream?: string }): void {
  const t0 = Date.parse(o.start);
  fake.logs.putLogEvents(
    o.group,
    Array.from({ length: o.count }, (_, i) => ({ logStreamName: o.stream ?? 'eni-0a1b2c3d-all', timestamp: t0 + i * 60_000, message: flowLine(o.account, i, t0 / 1000 + i * 60) })),
  );
}
