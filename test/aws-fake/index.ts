/**
 * Caseward's protocol-level AWS fake: EC2 Query/XML, EBS direct REST, STS, IAM, S3, CloudTrail and
 * CloudWatch Logs on 127.0.0.1 with a random port, SigV4 checked, faults injectable. Point the real SDK clients (or the AWS CLI
 * with --endpoint-url) at `endpoint` with TEST_CREDENTIALS. See README.md in this folder.
 */
import type { AddressInfo } from 'node:net';
import { ebsService } from './ebs.js';
import { ec2Service } from './ec2.js';
import { FaultController } from './faults.js';
import { seedFixture } from './fixtures.js';
import type { CallRecord, Snapshot } from './model.js';
import { createFakeServer } from './server.js';
import { FakeState, type ImageSnapshotOptions } from './state.js';
import { iamService, stsService } from './sts-iam.js';
import { cloudTrailService } from './cloudtrail.js';
import { cloudWatchLogsService } from './cloudwatch-logs.js';
import { logServices, type LogServicesState } from './logs-state.js';
import { s3Service } from './s3.js';

export { FIXTURE } from './fixtures.js';
export {
  DEFAULT_IDENTITIES,
  FORENSIC_ACCOUNT_ID,
  FORENSIC_CREDENTIALS,
  SESSION_CREDENTIALS,
  TEST_ACCESS_KEY_ID,
  TEST_CREDENTIALS,
  TEST_SECRET_ACCESS_KEY,
  VICTIM_ACCOUNT_ID,
  type FakeIdentity,
} from './credentials.js';
export { EBS_BLOCK_SIZE, BLOCKS_PER_GIB } from './block-source.js';
export { EC2_ACTIONS, EC2_NAMESPACE } from './ec2.js';
export { defaultEbsKeyArn } from './ec2-snapshots.js';
export { encodeBlockJpeg, consoleScreenshotJpeg } from './jpeg.js';
export type { FaultController, FaultKind, FaultMatch, FaultRule } from './faults.js';
export type { FakeState, ImageSnapshotOptions } from './state.js';
export type * from './model.js';
export { logServices, type LogServicesState, type S3Object, type TrailPublicKey, type LogEvent } from './logs-state.js';

/** Options of `startAwsFake`. */
export interface AwsFakeOptions {
  /** Region of the seeded resources and of `addSnapshotFromImage` (default us-east-1). Requests may sign for any region. */
  region?: string;
  /** Seed the fixture account (default true). */
  seed?: boolean;
  /** How long new snapshots stay pending (default 1000 ms); null = until the test completes them. */
  snapshotCompletionMs?: number | null;
  /** Block token lifetime (default 1 h). */
  blockTokenTtlMs?: number;
  /** Allowed difference between a request's signing time and now (default 15 min, as AWS). */
  maxClockSkewMs?: number;
}

/** A running fake. */
export interface AwsFake {
  /** http://127.0.0.1:PORT — the endpoint override for every client. */
  endpoint: string;
  port: number;
  region: string;
  state: FakeState;
  faults: FaultController;
  /** The call log (same array as state.calls). */
  readonly calls: CallRecord[];
  /** S3 buckets, CloudTrail event history and public keys, CloudWatch Logs groups. */
  logs: LogServicesState;
  /** Serves a disk image file as a completed (or pending) snapshot. */
  addSnapshotFromImage(imagePath: string, opts?: ImageSnapshotOptions): Snapshot;
  /** Stops the server, drops open connections and closes image files. */
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startAwsFake(opts: AwsFakeOptions = {}): Promise<AwsFake> {
  const region = opts.region ?? 'us-east-1';
  const state = new FakeState(region, { snapshotCompletionMs: opts.snapshotCompletionMs, blockTokenTtlMs: opts.blockTokenTtlMs });
  if (opts.seed ?? true) seedFixture(state, region);
  const faults = new FaultController();
  const server = createFakeServer({
    state,
    faults,
    services: { ec2: ec2Service, ebs: ebsService, sts: stsService, iam: iamService, s3: s3Service, cloudtrail: cloudTrailService, logs: cloudWatchLogsService },
    maxClockSkewMs: opts.maxClockSkewMs ?? 15 * 60_000,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region,
    state,
    faults,
    get calls() {
      return state.calls;
    },
    logs: logServices(state),
    addSnapshotFromImage: (imagePath, o) => state.addSnapshotFromImage(imagePath, o),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await state.close();
    },
  };
}
