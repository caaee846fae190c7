/**
 * Live AWS connections, in memory only: per workstation, keyed by connection id, each bound to one
 * open case and dropped when that case closes. Credentials live here as a provider closure and
 * never reach the case database, the log or any door.
 */
import { EBSClient } from '@aws-sdk/client-ebs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { AppError } from '../../../../shared/errors.js';
import type { Workstation } from '../../workstation/workstation.js';
import { ebsClientSettings } from '../ebs-image/ebs-block-source.js';

/** A connection as main holds it: the public record plus its credential provider. */
export interface LiveConnection {
  caseId: string;
  info: AwsConnection;
  credentials: AwsCredentialIdentityProvider;
}

/** Client settings for one region of a connection. */
export function clientConfig(conn: { credentials: AwsCredentialIdentityProvider; info: { endpoint: string | null } }, region: string) {
  return {
    region,
    credentials: conn.credentials,
    maxAttempts: 4,
    // Without timeouts a black-holed endpoint (offline workstation, blocked proxy) would hang the examiner's screen.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    ...(conn.info.endpoint ? { endpoint: conn.info.endpoint } : {}),
  };
}

/** An EC2 client in `region` (destroy it after use). */
export function ec2Client(conn: LiveConnection, region: string): EC2Client {
  return new EC2Client(clientConfig(conn, region));
}

/** An EBS direct-APIs client in `region` for an imaging download: no SDK retries, `concurrency` sockets (destroy it after use). */
export function ebsClient(conn: LiveConnection, region: string, concurrency: number): EBSClient {
  const settings = ebsClientSettings(concurrency);
  // The engine times each request itself; only the connect timeout is kept from the common settings.
  return new EBSClient({ ...clientConfig(conn, region), ...settings, requestHandler: { ...settings.requestHandler, connectionTimeout: 10_000 } });
}

/** An STS client in `region`. */
export function stsClient(conn: Parameters<typeof clientConfig>[0], region: string): STSClient {
  return new STSClient(clientConfig(conn, region));
}

/** An IAM client (IAM is global; signed for us-east-1 in the commercial partition). */
export function iamClient(conn: LiveConnection, region: string): IAMClient {
  const partitionRegion = region.startsWith('cn-') ? 'cn-north-1' : region.startsWith('us-gov-') ? 'us-gov-west-1' : 'us-east-1';
  return new IAMClient(clientConfig(conn, partitionRegion));
}

const registries = new WeakMap<Workstation, Map<string, LiveConnection>>();

function registry(ws: Workstation): Map<string, LiveConnection> {
  let map = registries.get(ws);
  if (!map) {
    const created = new Map<string, LiveConnection>();
    map = created;
    registries.set(ws, created);
    // A closed case takes its connections with it; nothing of them outlives the case session.
    ws.onEvent((e) => {
      if (e.kind !== 'case.changed' || e.what !== 'case' || ws.isOpen(e.caseId)) return;
      for (const [id, c] of created) if (c.caseId === e.caseId) created.delete(id);
    });
  }
  return map;
}

/** Registers a connection for a case. */
export function addConnection(ws: Workstation, conn: LiveConnection): void {
  registry(ws).set(conn.info.connectionId, conn);
}

/** The connection `connectionId` of `caseId`, or NOT_FOUND. */
export function getConnection(ws: Workstation, caseId: string, connectionId: string): LiveConnection {
  ws.get(caseId);
  const conn = registry(ws).get(connectionId);
  if (!conn || conn.caseId !== caseId) {
    throw new AppError('NOT_FOUND', 'This AWS connection is not open for this case (connections end when the case closes or Caseward restarts); connect again');
  }
  return conn;
}

/** The open connections of a case. */
export function listConnections(ws: Workstation, caseId: string): AwsConnection[] {
  ws.get(caseId);
  return [...registry(ws).values()].filter((c) => c.caseId === caseId).map((c) => c.info);
}

/** Forgets a connection; true if it existed. */
export function removeConnection(ws: Workstation, caseId: string, connectionId: string): boolean {
  const conn = getConnection(ws, caseId, connectionId);
  return registry(ws).delete(conn.info.connectionId);
}

/** A region the connection was opened for, or INVALID_INPUT. */
export function checkRegion(conn: LiveConnection, region: string): void {
  if (!conn.info.regions.includes(region)) {
    throw new AppError('INVALID_INPUT', `Region ${region} is not one of this connection's regions (${conn.info.regions.join(', ')})`);
  }
}
