/** aws.captureContext: checks the connection and region, then queues the aws.context job. */
import { randomUUID } from 'node:crypto';
import { awsContextParts, type AwsContextPart } from '../../../../shared/contract-aws-context.js';
import { insertJob } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { checkRegion, getConnection } from '../connect/connections.js';
import type { ContextJobParams } from './context.job.js';

/** What to capture; parts default to all. */
export interface ContextRequest {
  caseId: string;
  connectionId: string;
  region: string;
  instanceId: string;
  parts?: AwsContextPart[];
}

/** Queues the capture; the parts always run in the canonical order, console output first. */
export function startContextCapture(ws: Workstation, req: ContextRequest): { jobId: string } {
  const conn = getConnection(ws, req.caseId, req.connectionId);
  checkRegion(conn, req.region);
  const wanted = new Set(req.parts ?? awsContextParts);
  const parts = awsContextParts.filter((p) => wanted.has(p));
  const { session, runner } = ws.get(req.caseId);
  const jobId = randomUUID();
  const params: ContextJobParams = {
    caseId: req.caseId,
    connectionId: req.connectionId,
    region: req.region,
    account: conn.info.account,
    instanceId: req.instanceId,
    parts,
    artifactIds: Object.fromEntries(parts.map((p) => [p, randomUUID()])),
  };
  insertJob(session.db, { id: jobId, kind: 'aws.context', title: `Capture context of ${req.instanceId} (${req.region})`, artifactId: null, params });
  runner.enqueue(jobId);
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'jobs' });
  return { jobId };
}
