/** Test helpers: temporary AWS profile files for the SDK, and a case connected to the AWS fake. */
import fs from 'node:fs';
import path from 'node:path';
import { startAwsFake, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type AwsFake, type AwsFakeOptions } from '../aws-fake/index.js';
import { startHarness, type Harness } from './app-harness.js';

/** The `victim` profile most tests connect with: static test keys, region us-east-1. */
export const VICTIM_PROFILES = {
  config: '[profile victim]\nregion = us-east-1\n',
  credentials: `[victim]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`,
};

/**
 * Writes AWS config and credentials files under `dir/aws` and points this process (and CLI children,
 * which inherit the environment) at them, with no other credential source left to find.
 */
export function writeAwsProfiles(dir: string, files: { config: string; credentials: string } = VICTIM_PROFILES): void {
  const awsDir = path.join(dir, 'aws');
  fs.mkdirSync(awsDir, { recursive: true });
  fs.writeFileSync(path.join(awsDir, 'config'), files.config);
  fs.writeFileSync(path.join(awsDir, 'credentials'), files.credentials);
  process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
  // The examiner's own keys or an instance role must never reach the fake.
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

export interface AwsCaseOptions {
  /** The new case's number and title. */
  case: { number: string; title: string };
  fake?: AwsFakeOptions;
  /** Regions of the connection (default us-east-1). */
  regions?: string[];
  /** Harness root (default a new temporary folder). */
  root?: string;
  /** Changes the fake's state before the case connects. */
  seed?: (fake: AwsFake) => void;
}

export interface AwsCase {
  fake: AwsFake;
  h: Harness;
  caseId: string;
  casePath: string;
  connectionId: string;
  dispose(): Promise<void>;
}

/** Starts the fake and a harness, writes the victim profile, creates a case and connects it to the fake. */
export async function startAwsCase(opts: AwsCaseOptions): Promise<AwsCase> {
  const fake = await startAwsFake(opts.fake);
  const h = await startHarness(opts.root === undefined ? {} : { root: opts.root });
  writeAwsProfiles(h.root);
  opts.seed?.(fake);
  const c = await h.call('cases.create', opts.case);
  const { connectionId } = await h.call('aws.connect', { caseId: c.id, profile: 'victim', regions: opts.regions ?? ['us-east-1'], endpoint: fake.endpoint });
  return {
    fake,
    h,
    caseId: c.id,
    casePath: c.path,
    connectionId,
    async dispose() {
      await h.dispose();
      await fake.close();
    },
  };
}
