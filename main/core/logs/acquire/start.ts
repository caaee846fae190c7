/** Starting the acquisition jobs: checks the connection and region, then queues the job (params never hold credentials). */
import { randomUUID } from 'node:crypto';
import type { JobKind } from '../../../../shared/types.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { checkRegion, getConnection } from '../../aws/connect/connections.js';
import type { S3AcquireParams } from './acquire-s3.job.js';
import { DEFAULT_FLOW_FIELDS, headerFromFormat, type CwlFlowsParams } from './cwl-flows.job.js';
import type { LookupAcquireParams } from './lookup.job.js';

type Base = { caseId: string; connectionId: string; region: string };

function queue(ws: Workstation, caseId: string, kind: JobKind, title: string, params: unknown): { jobId: string } {
  const { session, runner } = ws.get(caseId);
  const jobId = randomUUID();
  insertJob(session.db, { id: jobId, kind, title, artifactId: null, params });
  runner.enqueue(jobId);
  ws.emit({ kind: 'case.changed', caseId, what: 'jobs' });
  return { jobId };
}

function connected(ws: Workstation, req: Base) {
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  return conn;
}

/** Queues logs.acquire-s3. */
export function startS3Acquisition(ws: Workstation, req: Base & Omit<S3AcquireParams, 'account' | 'caseId' | 'connectionId' | 'region'>): { jobId: string } {
  const conn = connected(ws, req);
  const params: S3AcquireParams = {
    caseId: req.caseId, connectionId: req.connectionId, account: conn.info.account, region: req.region, bucket: req.bucket,
    prefix: req.prefix, orgId: req.orgId, accounts: [...new Set(req.accounts)], regions: [...new Set(req.regions)], from: req.from, to: req.to, kind: req.kind,
  };
  const what = req.kind === 'cloudtrail' ? 'CloudTrail logs' : 'VPC flow logs';
  return queue(ws, req.caseId, 'logs.acquire-s3', `Acquire ${what} from s3://${req.bucket} (${req.from} to ${req.to})`, params);
}

/** Queues logs.acquire-lookup. */
export function startLookupAcquisition(ws: Workstation, req: Base & { from: string; to: string; attribute?: { key: string; value: string }; requestsPerSecond: number }): { jobId: string } {
  const conn = connected(ws, req);
  const params: LookupAcquireParams = {
    caseId: req.caseId, connectionId: req.connectionId, account: conn.info.account, region: req.region,
    from: new Date(req.from).toISOString(), to: new Date(req.to).toISOString(), attribute: req.attribute ?? null, requestsPerSecond: req.requestsPerSecond,
  };
  return queue(ws, req.caseId, 'logs.acquire-lookup', `Acquire CloudTrail event history in ${req.region} (${params.from} to ${params.to})`, params);
}

/** Queues flows.acquire-cwl. */
export function startCwlFlowsAcquisition(ws: Workstation, req: Base & { logGroupName: string; logStreamNames?: string[]; from: string; to: string; fields?: string }): { jobId: string } {
  const conn = connected(ws, req);
  const fields = headerFromFormat(req.fields ?? DEFAULT_FLOW_FIELDS);
  const params: CwlFlowsParams = {
    caseId: req.caseId, connectionId: req.connectionId, account: conn.info.account, region: req.region, logGroupName: req.logGroupName,
    logStreamNames: req.logStreamNames ?? null, from: new Date(req.from).toISOString(), to: new Date(req.to).toISOString(), fields,
  };
  return queue(ws, req.caseId, 'flows.acquire-cwl', `Acquire VPC flow logs from ${req.logGroupName} (${params.from} to ${params.to})`, params);
}
