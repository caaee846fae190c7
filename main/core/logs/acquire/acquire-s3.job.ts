/**
 * The logs.acquire-s3 job: lists the day folders of a trail (or VPC flow log) bucket for the chosen
 * accounts, regions and range, downloads each wanted object into the case (streamed, hashed, sealed
 * with bucket, key, ETag, version and its x-amz-meta-* metadata), then for CloudTrail stores the
 * period's public keys. Objects already in the case with the same ETag are skipped, so a resumed
 * or repeated acquisition fetches only what is new or changed. One object's failure (or a corrupt
 * gzip) is recorded and the rest continues.
 */
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { S3AcquireFileResult } from '../../../../shared/contract-logs-acquire.js';
import { AppError } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, nowUtc, type Actor } from '../../custody/custody.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../../aws/connect/aws-errors.js';
import { cloudTrailClient, requestIdOf, s3Client } from './clients.js';
import { gzipProblem, jobConnection } from './job-connection.js';
import { fetchPublicKeys } from './public-keys.js';
import { dayPrefixes, wanted, type S3FileKind, type S3LogKind } from './s3-layout.js';
import { abandonPending, acquiredS3Objects, sealedByJob, storeArtifact } from './store.js';

/** The job's parameters (never credentials). */
export interface S3AcquireParams {
  caseId: string;
  connectionId: string;
  account: string;
  /** Region the S3 client signs for (the bucket's region). */
  region: string;
  bucket: string;
  prefix: string;
  orgId: string | null;
  accounts: string[];
  regions: string[];
  from: string;
  to: string;
  kind: S3LogKind;
}

interface Listed {
  key: string;
  etag: string;
  size: number;
  fileKind: S3FileKind;
}

const RESULT_FILE_LIMIT = 1000;

/** Lists every wanted key under the day folders; returns them with the request ids of the listing. */
async function listWanted(s3: S3Client, p: S3AcquireParams, signal: AbortSignal): Promise<{ objects: Listed[]; requestIds: string[]; prefixes: number }> {
  const objects: Listed[] = [];
  const requestIds: string[] = [];
  const prefixes = dayPrefixes(p);
  for (const { prefix, fileKind } of prefixes) {
    let token: string | undefined;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: p.bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
      requestIds.push(requestIdOf(r) ?? '');
      for (const c of r.Contents ?? []) {
        if (c.Key && wanted(c.Key, fileKind, p.from, p.to)) objects.push({ key: c.Key, etag: c.ETag ?? '', size: c.Size ?? 0, fileKind });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }
  return { objects, requestIds, prefixes: prefixes.length };
}

/** The validator's reading of a digest's metadata (logs.validate input names). */
function digestFields(meta: Record<string, string>): Record<string, unknown> {
  return {
    signatureHex: meta.signature ?? null,
    signatureAlgorithm: meta['signature-algorithm'] ?? null,
    backfillGenerationTimestamp: meta['backfill-generation-timestamp'] ?? null,
  };
}

/** Downloads and seals one object; returns its result line. */
async function acquireObject(session: CaseSession, actor: Actor, jobId: string, s3: S3Client, p: S3AcquireParams, o: Listed, previous: string | null, ctx: JobContext, onBytes: (n: number) => void): Promise<S3AcquireFileResult> {
  const r = await s3.send(new GetObjectCommand({ Bucket: p.bucket, Key: o.key }), { abortSignal: ctx.signal });
  if (!r.Body) throw new AppError('INTERNAL', `S3 returned no body for ${o.key}`);
  let problem: string | null = null;
  const acquiredAt = nowUtc();
  const stored = await storeArtifact(session, actor, {
    jobId,
    name: path.posix.basename(o.key),
    description: `${o.fileKind} s3://${p.bucket}/${o.key} (ETag ${r.ETag ?? o.etag}, acquired ${acquiredAt})`,
    sourcePath: `s3://${p.bucket}/${o.key}`,
    body: r.Body as NodeJS.ReadableStream,
    signal: ctx.signal,
    onBytes,
    provenance: async (file) => {
      problem = o.key.endsWith('.gz') ? await gzipProblem(file) : null;
      const metadata = r.Metadata ?? {};
      return {
        source: 's3',
        fileKind: o.fileKind,
        s3Bucket: p.bucket,
        s3Key: o.key,
        etag: r.ETag ?? o.etag,
        versionId: r.VersionId ?? null,
        lastModified: r.LastModified?.toISOString() ?? null,
        contentLength: r.ContentLength ?? null,
        contentType: r.ContentType ?? null,
        metadata,
        ...(o.fileKind === 'cloudtrail-digest' ? digestFields(metadata) : {}),
        apiAction: 'GetObject',
        requestId: requestIdOf(r),
        region: p.region,
        account: p.account,
        acquiredAt,
        gzipCheck: problem ?? 'ok',
        ...(previous ? { replacesArtifactId: previous, etagChanged: true } : {}),
      };
    },
  });
  return { key: o.key, fileKind: o.fileKind, status: problem ? 'corrupt' : 'acquired', artifactId: stored.artifactId, message: problem };
}

/** The logs.acquire-s3 job handler. */
export function acquireS3Job(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    async run(session, jobId, ctx) {
      const p = jobParams<S3AcquireParams>(session.db, jobId);
      const conn = jobConnection(ws, p, `the acquisition from s3://${p.bucket}`);
      const s3 = s3Client(conn, p.region);
      const describe = (err: unknown, what: string): AppError => mapAwsError(err, what, { endpoint: conn.info.endpoint });
      const results: S3AcquireFileResult[] = [];
      const counts = { listed: 0, acquired: 0, skipped: 0, failed: 0, corrupt: 0, bytes: 0 };
      let publicKeysArtifactId: string | null = null;
      try {
        ctx.progress({ phase: 'listing', message: `s3://${p.bucket}` });
        let listing: Awaited<ReturnType<typeof listWanted>>;
        try {
          listing = await listWanted(s3, p, ctx.signal);
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          const e = describe(err, `S3 ListObjectsV2 on bucket ${p.bucket}`);
          appendEvent(session.db, actor(), {
            action: 'logs.acquire-failed',
            details: { jobId, source: 's3', s3Bucket: p.bucket, apiAction: 'ListObjectsV2', requestId: requestIdOf(err), code: e.code, message: e.message },
          });
          throw e;
        }
        const { objects, requestIds, prefixes } = listing;
        counts.listed = objects.length;
        appendEvent(session.db, actor(), {
          action: 'logs.s3-listed',
          details: { jobId, source: 's3', s3Bucket: p.bucket, region: p.region, account: p.account, kind: p.kind, from: p.from, to: p.to, prefixes, objects: objects.length, apiAction: 'ListObjectsV2', requestIds },
        });
        const already = acquiredS3Objects(session.db);
        const bytesTotal = objects.reduce((n, o) => n + o.size, 0);
        let bytesDone = 0;
        for (const [i, o] of objects.entries()) {
          if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Acquisition cancelled');
          ctx.progress({ phase: 'downloading', itemsDone: i, itemsTotal: objects.length, bytesDone, bytesTotal, message: o.key });
          const prior = already.get(`${p.bucket}/${o.key}`);
          if (prior && prior.etag === o.etag) {
            counts.skipped++;
            bytesDone += o.size;
            results.push({ key: o.key, fileKind: o.fileKind, status: 'skipped', artifactId: prior.artifactId, message: 'already in the case with the same ETag' });
            continue;
          }
          const base = bytesDone;
          try {
            const res = await acquireObject(session, actor(), jobId, s3, p, o, prior?.artifactId ?? null, ctx, (n) => ctx.progress({ bytesDone: base + n }));
            counts[res.status === 'corrupt' ? 'corrupt' : 'acquired']++;
            counts.bytes += o.size;
            results.push(res);
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            const e = describe(err, `S3 GetObject s3://${p.bucket}/${o.key}`);
            counts.failed++;
            appendEvent(session.db, actor(), {
              action: 'logs.acquire-failed',
              details: { jobId, source: 's3', s3Bucket: p.bucket, s3Key: o.key, apiAction: 'GetObject', requestId: requestIdOf(err), code: e.code, message: e.message },
            });
            results.push({ key: o.key, fileKind: o.fileKind, status: 'failed', artifactId: null, message: e.message });
          }
          bytesDone = base + o.size;
        }
        if (p.kind === 'cloudtrail') publicKeysArtifactId = await storePublicKeys(session, actor(), jobId, p, (r) => cloudTrailClient(conn, r), describe, ctx);
      } finally {
        s3.destroy();
        ws.emit({ kind: 'case.changed', caseId: p.caseId, what: 'artifacts' });
      }
      ctx.progress({ phase: 'done', itemsDone: counts.listed, itemsTotal: counts.listed });
      if (counts.listed > 0 && counts.failed === counts.listed) throw new AppError('INTERNAL', `No object could be acquired from s3://${p.bucket}: ${results[0]?.message ?? ''}`);
      return { ...counts, publicKeysArtifactId, files: results.slice(0, RESULT_FILE_LIMIT), filesTruncated: results.length > RESULT_FILE_LIMIT };
    },
    abandon(session, jobId) {
      abandonPending(session, jobId);
    },
  };
}

/** Stores the period's public keys once per job; returns the artifact id. */
async function storePublicKeys(
  session: CaseSession, actor: Actor, jobId: string, p: S3AcquireParams,
  clientFor: Parameters<typeof fetchPublicKeys>[0], describe: (err: unknown, what: string) => AppError, ctx: JobContext,
): Promise<string> {
  // Keys valid a day either side: a digest is signed with the key current when it was delivered.
  const start = new Date(Date.parse(p.from) - 86_400_000);
  const end = new Date(Date.parse(p.to) + 86_400_000);
  const sourcePath = `aws:cloudtrail:${p.account}:ListPublicKeys/${start.toISOString()}..${end.toISOString()}`;
  const done = sealedByJob(session.db, jobId, sourcePath);
  if (done) return done;
  ctx.progress({ phase: 'public keys', message: p.regions.join(', ') });
  const file = await fetchPublicKeys(clientFor, p.regions, start, end, describe);
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const stored = await storeArtifact(session, actor, {
    jobId,
    name: `cloudtrail-public-keys-${start.toISOString().slice(0, 10)}-${end.toISOString().slice(0, 10)}.json`,
    description: `CloudTrail public keys (ListPublicKeys, ${p.regions.join(', ')}) valid ${file.startTime} to ${file.endTime}`,
    sourcePath,
    body: [text],
    signal: ctx.signal,
    provenance: () => ({
      source: 'cloudtrail',
      fileKind: 'cloudtrail-public-keys',
      apiAction: 'ListPublicKeys',
      account: p.account,
      regions: file.regions,
      requestIds: file.regions.flatMap((r) => r.requestIds),
      fingerprints: file.publicKeys.map((k) => k.fingerprint),
      acquiredAt: nowUtc(),
    }),
  });
  return stored.artifactId;
}
