/**
 * The aws.image job: downloads a completed EBS snapshot into the case's evidence folder through the
 * EBS direct APIs (downloadSnapshot), then makes the image and its block manifest read-only and
 * completes the pending artifact with its hashes and its custody event in one transaction.
 *
 * Ends without success (docs/ebs-imaging.md, "The aws.image job"):
 * - interrupted (Caseward closed or crashed): nothing is abandoned; the partial image and manifest
 *   stay, and jobs.resume runs this job again, which resumes from the manifest.
 * - cancelled by the examiner, discarded, or failed: the partial files are removed (the runner
 *   cannot resume a failed job) and the artifact is marked discarded / failed, never complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { nowUtc, type Actor } from '../../custody/custody.repo.js';
import { sealArtifact } from '../../evidence/seal-artifact.js';
import { abandonArtifact, getArtifact } from '../../evidence/artifacts.repo.js';
import { hashFile } from '../../hashing/index.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { ebsClient, getConnection, listConnections, type LiveConnection } from '../connect/connections.js';
import { downloadSnapshot, ebsBlockSource } from '../ebs-image/index.js';

/** The job's parameters, stored with the job (never credentials). */
export interface ImageJobParams {
  artifactId: string;
  connectionId: string;
  /** The account the connection acts as (a resume after restart needs a connection to it again). */
  connectionAccount: string;
  endpoint: string | null;
  region: string;
  /** The snapshot's owner account. */
  account: string;
  snapshotId: string;
  concurrency: number;
  volumeId: string | null;
  volumeSizeGiB: number | null;
  snapshotStartTime: string | null;
  encrypted: boolean;
  kmsKeyId: string | null;
  describeRequestId: string | null;
  identityArn: string;
}

/** The manifest beside the image. */
export function manifestPathFor(imagePath: string): string {
  return `${imagePath}.manifest.sqlite`;
}

/**
 * The connection the job was started with, or, after a restart (connections live in memory), an
 * open connection of the same case to the same account and endpoint that covers the region.
 */
function findConnection(ws: Workstation, caseId: string, p: ImageJobParams): LiveConnection {
  try {
    return getConnection(ws, caseId, p.connectionId);
  } catch {
    const same = listConnections(ws, caseId).find(
      (c) => c.account === p.connectionAccount && c.endpoint === p.endpoint && c.regions.includes(p.region),
    );
    if (same) return getConnection(ws, caseId, same.connectionId);
    throw new AppError(
      'NOT_FOUND',
      `No AWS connection to account ${p.connectionAccount} in ${p.region} is open for this case; connect again (aws.connect) before imaging ${p.snapshotId}`,
    );
  }
}

/** Removes the partial image and its manifest (with SQLite's side files); they are not evidence. */
function removePartialImage(session: CaseSession, artifactId: string): void {
  const a = getArtifact(session.db, artifactId);
  if (a.state !== 'pending') return;
  const dest = session.resolve(a.storedPath);
  const manifest = manifestPathFor(dest);
  for (const f of [dest, manifest, `${manifest}-wal`, `${manifest}-shm`]) {
    if (!fs.existsSync(f)) continue;
    fs.chmodSync(f, 0o600);
    fs.rmSync(f, { force: true });
  }
}

/** The aws.image job handler; `ws` gives it the case's live AWS connections. */
export function imageSnapshotJob(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    // Refused before re-queueing, so a missing connection leaves the job interrupted and its partial image kept.
    assertResumable(session: CaseSession, jobId: string) {
      findConnection(ws, session.id, jobParams<ImageJobParams>(session.db, jobId));
    },
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<ImageJobParams>(session.db, jobId);
      const artifact = getArtifact(session.db, p.artifactId);
      const conn = findConnection(ws, session.id, p);
      const dest = session.resolve(artifact.storedPath);
      const manifestPath = manifestPathFor(dest);
      // A resumed job keeps what is there: downloadSnapshot picks the image up from its manifest.
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      const startedAt = nowUtc();
      ctx.progress({ phase: 'downloading', bytesDone: 0, bytesTotal: p.volumeSizeGiB === null ? null : p.volumeSizeGiB * 1024 ** 3, message: p.snapshotId });
      const client = ebsClient(conn, p.region, p.concurrency);
      let result;
      try {
        result = await downloadSnapshot({
          source: ebsBlockSource(client),
          snapshotId: p.snapshotId,
          dest,
          manifestPath,
          concurrency: p.concurrency,
          signal: ctx.signal,
          onProgress: (d) =>
            ctx.progress({ bytesDone: d.bytesDone, bytesTotal: d.bytesTotal, itemsDone: d.blocksFetched + d.blocksReused, itemsTotal: null }),
        });
      } finally {
        client.destroy();
      }
      ctx.progress({ phase: 'sealing', message: 'hashing the block manifest' });
      // The manifest is closed (WAL checkpointed) by now; it is the per-block record AWS's checksums were checked against.
      const manifestHashes = await hashFile(manifestPath, { signal: ctx.signal });
      fs.chmodSync(dest, 0o444);
      fs.chmodSync(manifestPath, 0o444);
      const hashes = sealArtifact(session.db, actor(), artifact, result, jobId, {
        snapshotId: p.snapshotId,
        region: p.region,
        account: p.account,
        identityArn: conn.info.arn,
        volumeId: p.volumeId,
        volumeSize: result.size,
        volumeSizeGiB: p.volumeSizeGiB,
        encrypted: p.encrypted,
        kmsKeyId: p.kmsKeyId,
        blockSize: result.blockSize,
        blocksTotal: result.blocksTotal,
        blocksListed: result.blocksListed,
        blocksAbsent: result.blocksAbsent,
        blocksFetched: result.blocksFetched,
        blocksReused: result.blocksReused,
        blocksRepaired: result.blocksRepaired,
        checksumFailures: result.checksumFailures,
        retries: result.retries,
        throttles: result.throttles,
        timeouts: result.timeouts,
        relists: result.relists,
        concurrencyLowest: result.concurrencyLowest,
        resumed: result.resumed,
        manifestRun: result.manifestRun,
        manifestPath: path.relative(session.path, manifestPath),
        manifestSize: manifestHashes.size,
        manifestSha256: manifestHashes.sha256,
        runStartedAt: startedAt,
        awsRequestIds: { describeSnapshots: p.describeRequestId },
      });
      ctx.progress({ phase: 'done', bytesDone: result.size, message: p.snapshotId });
      return { artifactId: p.artifactId, size: result.size, ...hashes, blocksFetched: result.blocksFetched, blocksReused: result.blocksReused };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<ImageJobParams>(session.db, jobId);
      removePartialImage(session, p.artifactId);
      abandonArtifact(session.db, p.artifactId, outcome === 'failed' ? 'failed' : 'discarded');
    },
  };
}
