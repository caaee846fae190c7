/**
 * The images.bodyfile job: writes a TSK body file of a whole file system of an opened image into
 * evidence/<artifact id>/<name>.body, hashing while writing, makes it read-only, seals it as an
 * artifact whose artifact.added event carries its provenance and walk counts, then (optionally)
 * merges its times into the case timeline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { CaseSession } from '../../cases/case-session.js';
import type { Actor } from '../../custody/custody.repo.js';
import { sealArtifact } from '../../evidence/seal-artifact.js';
import { abandonArtifact, getArtifact } from '../../evidence/artifacts.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import { mergeBodyfile } from '../../logs/ingest/add-bodyfile.job.js';
import { ensureSecondaryIndexes } from '../../logs/ingest/bulk-indexes.js';
import { fileSystemOf, imageSession } from '../session/image-sessions.js';
import { bodyfileLines, newWalkStats } from './walk-bodyfile.js';

/** What an images.bodyfile job is given; the pending artifact is created with the job. */
export interface BodyfileJobParams {
  imageArtifactId: string;
  partition: number | null;
  artifactId: string;
  addToTimeline: boolean;
}

/** The sourcePath of a body file artifact (not under "image:", so an export's clean-up never touches it). */
export function bodyfileSourcePath(imageArtifactId: string, partition: number | null): string {
  return `bodyfile:image:${imageArtifactId}/${partition ?? 'whole'}`;
}

const FLUSH_BYTES = 1 << 20;

/** Removes an unfinished body file; its artifact is marked failed or discarded (never looks complete). */
function discardPending(session: CaseSession, artifactId: string, state: 'failed' | 'discarded' | null): void {
  const a = getArtifact(session.db, artifactId);
  if (a.state !== 'pending') return;
  const dest = session.resolve(a.storedPath);
  if (fs.existsSync(dest)) {
    fs.chmodSync(dest, 0o600);
    fs.rmSync(dest, { force: true });
  }
  if (state) abandonArtifact(session.db, artifactId, state);
}

/** Job handler for 'images.bodyfile'. */
export function bodyfileJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<BodyfileJobParams>(session.db, jobId);
      let walked: Record<string, unknown> = {};
      if (getArtifact(session.db, p.artifactId).state === 'pending') {
        // A resumed job starts the file again: a body file is cheap to rewrite and must be whole.
        discardPending(session, p.artifactId, null);
        walked = await writeBodyfile(session, actor(), jobId, p, ctx);
      }
      const a = getArtifact(session.db, p.artifactId);
      const timeline = p.addToTimeline ? await mergeBodyfile(session, actor(), a, jobId, ctx) : null;
      return { artifactId: a.id, name: a.name, size: a.size, sha256: a.hashes?.sha256 ?? null, ...walked, timeline };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<BodyfileJobParams>(session.db, jobId);
      discardPending(session, p.artifactId, outcome === 'failed' ? 'failed' : 'discarded');
      ensureSecondaryIndexes(session.db);
    },
  };
}

async function writeBodyfile(session: CaseSession, actor: Actor, jobId: string, p: BodyfileJobParams, ctx: JobContext): Promise<Record<string, unknown>> {
  const s = await imageSession(session, actor, p.imageArtifactId);
  const { kind, fs: fileSystem } = fileSystemOf(s, p.partition);
  const a = getArtifact(session.db, p.artifactId);
  const dest = session.resolve(a.storedPath);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const hashes = [createHash('md5'), createHash('sha1'), createHash('sha256')] as const;
  const stats = newWalkStats();
  // 'wx': a body file never overwrites anything.
  const fd = fs.openSync(dest, 'wx', 0o600);
  let size = 0;
  try {
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = (): void => {
      const buf = Buffer.from(pending.join(''), 'utf8');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      for (const h of hashes) h.update(buf);
      size += buf.length;
      pending = [];
      pendingBytes = 0;
    };
    ctx.progress({ phase: 'walking file system', itemsDone: 0, itemsTotal: null, message: s.artifact.name });
    for await (const line of bodyfileLines(fileSystem, stats, ctx.signal)) {
      pending.push(line, '\n');
      pendingBytes += line.length + 1;
      if (pendingBytes >= FLUSH_BYTES) flush();
      // The runner throttles what it sends; every thousand entries keeps a big walk visibly moving.
      if (stats.entries % 1000 === 0) ctx.progress({ itemsDone: stats.entries, bytesDone: size + pendingBytes });
    }
    flush();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(dest, 0o444);
  const walk = {
    entries: stats.entries, deletedEntries: stats.deleted, unreadableInodes: stats.unreadableInodes,
    loops: stats.loops, unreadableDirectories: stats.unreadableDirectories, problems: stats.problems.slice(0, 20),
  };
  sealArtifact(session.db, actor, { id: a.id, name: a.name, description: a.description, storage: 'copied', sourcePath: a.sourcePath, storedPath: a.storedPath },
    { size, md5: hashes[0].digest('hex'), sha1: hashes[1].digest('hex'), sha256: hashes[2].digest('hex') }, jobId, {
      derivedFrom: p.imageArtifactId, partition: p.partition, fileSystem: kind, format: 'bodyfile (TSK 3+)', md5Column: 'not computed (0)', ...walk,
    });
  ctx.progress({ phase: 'body file written', itemsDone: stats.entries, bytesDone: size });
  return walk;
}
