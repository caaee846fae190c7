/**
 * The aws.context job: captures an instance's context, console output first (AWS keeps only the
 * last 64 KiB, and later boot noise pushes the interesting part out), then the screenshot, then the
 * configuration. Each part becomes one read-only, hashed artifact; a part that fails is recorded
 * ('aws.context-failed') and the rest continues. A resumed job skips parts already complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AwsContextPart, AwsContextPartResult } from '../../../../shared/contract-aws-context.js';
import type { AwsInstanceDetail } from '../../../../shared/contract-aws.js';
import { AppError, type ErrorCode } from '../../../../shared/errors.js';
import { EVIDENCE_DIR, type CaseSession } from '../../cases/case-session.js';
import { appendEvent, nowUtc, type Actor } from '../../custody/custody.repo.js';
import { sealArtifact } from '../../evidence/seal-artifact.js';
import { abandonArtifact, insertPendingArtifact } from '../../evidence/artifacts.repo.js';
import { hashFile } from '../../hashing/index.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { ec2Client, getConnection, listConnections, type LiveConnection } from '../connect/connections.js';
import { describeInstance } from '../discover/instance.js';
import { fetchConsole, fetchScreenshot, fetchUserData, partOfDetail, type Fetched } from './fetch-parts.js';

/** The job's parameters (never credentials); artifact ids are fixed up front so a resume reuses them. */
export interface ContextJobParams {
  caseId: string;
  connectionId: string;
  region: string;
  account: string;
  instanceId: string;
  parts: AwsContextPart[];
  artifactIds: Record<string, string>;
}

interface Row {
  state: string;
  stored_path: string;
}

/** Writes, hashes, seals and records one part; returns its artifact id. */
async function preserve(session: CaseSession, actor: Actor, jobId: string, p: ContextJobParams, part: AwsContextPart, f: Fetched & { bytes: Buffer }, capturedAt: string, signal: AbortSignal): Promise<string> {
  const db = session.db;
  const artifactId = p.artifactIds[part]!;
  const name = `${p.instanceId}-${part}.${f.ext}`;
  const storedPath = path.join(EVIDENCE_DIR, artifactId, name);
  const description = `${part} of EC2 instance ${p.instanceId} in ${p.region}, account ${p.account} (${f.apiAction}, captured ${capturedAt})`;
  const sourcePath = `aws:ec2:${p.region}:${p.account}:${p.instanceId}/${part}`;
  const existing = db.prepare('SELECT state, stored_path FROM artifacts WHERE id = ?').get(artifactId) as Row | undefined;
  if (existing && existing.state !== 'pending') {
    throw new AppError('JOB_STATE', `The ${part} artifact of this capture is already ${existing.state}; start a new capture for it`);
  }
  const dest = session.resolve(existing?.stored_path ?? storedPath);
  if (existing && fs.existsSync(dest)) {
    // A partial write of an interrupted run: not evidence yet, so it is replaced.
    fs.chmodSync(dest, 0o600);
    fs.rmSync(dest);
  }
  if (!existing) {
    insertPendingArtifact(db, { id: artifactId, storage: 'copied', name, description, sourcePath, storedPath, addedBy: actor.examiner, addedAt: nowUtc() });
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, f.bytes, { flag: 'wx' });
  const result = await hashFile(dest, { signal });
  fs.chmodSync(dest, 0o444);
  sealArtifact(db, actor, { id: artifactId, name, description, storage: 'copied', sourcePath, storedPath: existing?.stored_path ?? storedPath }, result, jobId, {
    source: 'aws',
    region: p.region,
    account: p.account,
    instanceId: p.instanceId,
    part,
    apiAction: f.apiAction,
    requestId: f.requestId,
    capturedAt,
    ...f.extra,
  });
  return artifactId;
}

/** Fetches one part; the configuration parts share one describeInstance read, made on first need. */
function fetcher(ws: Workstation, conn: LiveConnection, p: ContextJobParams) {
  const ec2 = ec2Client(conn, p.region);
  let detail: Promise<AwsInstanceDetail> | null = null;
  const get = async (part: AwsContextPart): Promise<Fetched> => {
    if (part === 'console-output') return fetchConsole(ec2, p.instanceId);
    if (part === 'screenshot') return fetchScreenshot(ec2, p.instanceId);
    if (part === 'user-data') return fetchUserData(ec2, p.instanceId);
    detail ??= describeInstance(ws, { caseId: p.caseId, connectionId: conn.info.connectionId, region: p.region, instanceId: p.instanceId });
    return partOfDetail(part, await detail);
  };
  return { get, close: () => ec2.destroy() };
}

/** Removes a pending part's partial file and marks it failed; it never looks complete. */
function discardPending(session: CaseSession, artifactId: string): void {
  const row = session.db.prepare('SELECT state, stored_path FROM artifacts WHERE id = ?').get(artifactId) as Row | undefined;
  if (row?.state !== 'pending') return;
  const dest = session.resolve(row.stored_path);
  if (fs.existsSync(dest)) {
    fs.chmodSync(dest, 0o600);
    fs.rmSync(dest);
  }
  abandonArtifact(session.db, artifactId, 'failed');
}

/** The job's connection, or after a restart an open one of the case to the same account covering the region. */
function findConnection(ws: Workstation, p: ContextJobParams): LiveConnection {
  try {
    return getConnection(ws, p.caseId, p.connectionId);
  } catch {
    const same = listConnections(ws, p.caseId).find((c) => c.account === p.account && c.regions.includes(p.region));
    if (same) return getConnection(ws, p.caseId, same.connectionId);
    throw new AppError('NOT_FOUND', `No AWS connection to account ${p.account} in ${p.region} is open for this case; connect again (aws.connect) to capture ${p.instanceId}`);
  }
}

function isComplete(session: CaseSession, artifactId: string): boolean {
  const row = session.db.prepare('SELECT state FROM artifacts WHERE id = ?').get(artifactId) as { state: string } | undefined;
  return row?.state === 'complete';
}

/** The aws.context job handler. */
export function captureContextJob(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<ContextJobParams>(session.db, jobId);
      const conn = findConnection(ws, p);
      const f = fetcher(ws, conn, p);
      const results: AwsContextPartResult[] = [];
      try {
        for (const [i, part] of p.parts.entries()) {
          if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Context capture cancelled');
          ctx.progress({ phase: `capturing ${part}`, itemsDone: i, itemsTotal: p.parts.length, message: p.instanceId });
          const artifactId = p.artifactIds[part]!;
          if (isComplete(session, artifactId)) {
            results.push({ part, status: 'captured', artifactId });
            continue;
          }
          try {
            const capturedAt = nowUtc();
            const got = await f.get(part);
            if (!got.bytes) {
              results.push({ part, status: 'empty', artifactId: null });
              continue;
            }
            results.push({ part, status: 'captured', artifactId: await preserve(session, actor(), jobId, p, part, { ...got, bytes: got.bytes }, capturedAt, ctx.signal) });
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            const e = err instanceof AppError ? err : mapAwsError(err, `${part} of ${p.instanceId}`, { endpoint: conn.info.endpoint });
            discardPending(session, artifactId);
            appendEvent(session.db, actor(), {
              action: 'aws.context-failed',
              details: { jobId, source: 'aws', region: p.region, account: p.account, instanceId: p.instanceId, part, code: e.code, message: e.message },
            });
            results.push({ part, status: 'failed', artifactId: null, code: e.code, message: e.message });
          }
        }
      } finally {
        f.close();
      }
      ws.emit({ kind: 'case.changed', caseId: p.caseId, what: 'artifacts' });
      ctx.progress({ phase: 'done', itemsDone: p.parts.length, itemsTotal: p.parts.length });
      if (results.every((r) => r.status === 'failed')) throw new AppError((results[0]?.code ?? 'INTERNAL') as ErrorCode, `No part of ${p.instanceId}'s context could be captured: ${results[0]?.message ?? ''}`);
      return { instanceId: p.instanceId, results };
    },
    abandon(session: CaseSession, jobId: string) {
      const p = jobParams<ContextJobParams>(session.db, jobId);
      for (const artifactId of Object.values(p.artifactIds)) discardPending(session, artifactId);
    },
  };
}
