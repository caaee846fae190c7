/**
 * SDK clients for log acquisition. With an endpoint override (VPC endpoint, emulator, the test
 * fake) S3 is addressed path-style: a bucket name as a sub-domain of 127.0.0.1 or of a private
 * endpoint would not resolve. LookupEvents gets no SDK retries: our own limiter paces every attempt.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig, type LiveConnection } from '../../aws/connect/connections.js';

/** An S3 client in `region` (destroy it after use). */
export function s3Client(conn: LiveConnection, region: string): S3Client {
  return new S3Client({ ...clientConfig(conn, region), forcePathStyle: Boolean(conn.info.endpoint) });
}

/** A CloudTrail client whose throttling retries are left to the caller's limiter. */
export function cloudTrailClient(conn: LiveConnection, region: string): CloudTrailClient {
  return new CloudTrailClient({ ...clientConfig(conn, region), maxAttempts: 1 });
}

/** A CloudWatch Logs client in `region`. */
export function cloudWatchLogsClient(conn: LiveConnection, region: string): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(conn, region));
}

/** The request id of an SDK answer or error (S3 and JSON services alike), or null. */
export function requestIdOf(x: unknown): string | null {
  return (x as { $metadata?: { requestId?: string } } | null)?.$metadata?.requestId ?? null;
}
