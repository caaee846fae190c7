/**
 * The images.export job: copies a file (or every regular file below a folder) out of an opened
 * image into evidence/<new artifact id>/<name>, hashing while writing, makes each copy read-only,
 * and records each as a complete artifact whose artifact.added event carries its provenance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';
import type { CaseSession } from '../../cases/case-session.js';
import { EVIDENCE_DIR } from '../../cases/case-session.js';
import { nowUtc, type Actor } from '../../custody/custody.repo.js';
import { sealArtifact } from '../../evidence/seal-artifact.js';
import { abandonArtifact, insertPendingArtifact, listArtifacts } from '../../evidence/artifacts.repo.js';
import type { JobContext, JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { FileSystem } from '../fs-types.js';
import { findPath, streamSize, timeBasisOf } from '../session/browse.js';
import { fileSystemOf, imageSession } from '../session/image-sessions.js';
import { collectFiles, type ExportItem } from './collect-files.js';
import { writeHashed } from './write-hashed.js';

/** What an images.export job is given. */
export interface ExportImageParams {
  imageArtifactId: string;
  partition: number | null;
  inode: number;
  path: string | null;
  recursive: boolean;
  /** An alternate data stream of the file to export instead of its main content (absent in jobs made before streams). */
  stream?: string | null;
}

/** The sourcePath prefix of every artifact exported from an image: `image:<artifactId>/<partition>`. */
export function imageSourcePrefix(imageArtifactId: string, partition: number | null): string {
  return `image:${imageArtifactId}/${partition ?? 'whole'}`;
}

/** A file name every workstation's file system accepts, from a name found in an image. */
export function safeName(name: string, inode: number): string {
  // Characters Windows refuses, and control characters, become '_'.
  const cleaned = [...name].map((ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('').replace(/[. ]+$/, '');
  const bounded = Buffer.byteLength(cleaned) > 200 ? Buffer.from(cleaned).subarray(0, 200).toString('utf8').replace(/\uFFFD+$/, '') : cleaned;
  return bounded === '' || bounded === '.' || bounded === '..' ? `inode-${inode}` : bounded;
}

/** Removes unfinished copies from this image and marks their artifacts abandoned: they are not evidence. */
function abandonPending(session: CaseSession, imageArtifactId: string, state: 'failed' | 'discarded'): void {
  const prefix = `image:${imageArtifactId}/`;
  for (const a of listArtifacts(session.db)) {
    if (a.state !== 'pending' || a.storage !== 'copied' || !a.sourcePath.startsWith(prefix)) continue;
    const dest = session.resolve(a.storedPath);
    if (fs.existsSync(dest)) {
      fs.chmodSync(dest, 0o600);
      fs.rmSync(dest, { force: true });
    }
    abandonArtifact(session.db, a.id, state);
  }
}

/** Inodes+paths this job already exported in an earlier, interrupted run. */
function alreadyExported(session: CaseSession, jobId: string): Set<string> {
  const rows = session.db
    .prepare("SELECT details FROM custody_events WHERE action = 'artifact.added' AND json_extract(details, '$.jobId') = ?")
    .all(jobId) as { details: string }[];
  return new Set(rows.map((r) => {
    const d = JSON.parse(r.details) as { inode: number; path: string; stream?: string };
    return `${d.inode}:${d.path}:${d.stream ?? ''}`;
  }));
}

/** Job handler for 'images.export'. */
export function exportImageJob(actor: () => Actor): JobHandler {
  return {
    async run(session: CaseSession, jobId: string, ctx: JobContext) {
      const p = jobParams<ExportImageParams>(session.db, jobId);
      abandonPending(session, p.imageArtifactId, 'failed');
      const s = await imageSession(session, actor(), p.imageArtifactId);
      const { kind, fs: fileSystem } = fileSystemOf(s, p.partition);
      ctx.progress({ phase: 'finding files', message: s.artifact.name });
      const rootPath = p.path ?? (await findPath(fileSystem, p.inode)) ?? `/<inode ${p.inode}>`;
      const stream = p.stream ?? undefined;
      const { items, skipped } = stream === undefined
        ? await collectFiles(fileSystem, p.inode, rootPath, p.recursive, ctx.signal)
        : await streamItem(fileSystem, p.inode, rootPath, stream);
      const done = alreadyExported(session, jobId);
      const todo = items.filter((i) => !done.has(`${i.inode}:${i.path}:${i.stream ?? ''}`));
      const bytesTotal = todo.reduce((n, i) => n + i.stat.size, 0);
      let bytesDone = 0;
      ctx.progress({ phase: 'exporting', bytesDone, bytesTotal, itemsDone: 0, itemsTotal: todo.length });
      const artifactIds: string[] = [];
      for (const [n, item] of todo.entries()) {
        const source = { imageId: s.artifact.id, imageName: s.artifact.name, partition: p.partition, kind, fileSystem };
        artifactIds.push(await exportOne(session, actor(), jobId, source, item, ctx.signal, (b) => {
          ctx.progress({ bytesDone: bytesDone + b, bytesTotal, itemsDone: n, itemsTotal: todo.length, message: item.stream === undefined ? item.path : `${item.path}:${item.stream}` });
        }));
        bytesDone += item.stat.size;
      }
      ctx.progress({ phase: 'done', bytesDone, itemsDone: todo.length });
      return { imageArtifactId: p.imageArtifactId, artifactIds, exported: artifactIds.length, skipped: skipped.slice(0, 200), skippedCount: skipped.length };
    },
    abandon(session: CaseSession, jobId: string, outcome) {
      const p = jobParams<ExportImageParams>(session.db, jobId);
      abandonPending(session, p.imageArtifactId, outcome === 'failed' ? 'failed' : 'discarded');
    },
  };
}

/** The one item of a stream export: the file's metadata with the stream's size. */
async function streamItem(fileSystem: FileSystem, inode: number, rootPath: string, stream: string): Promise<{ items: ExportItem[]; skipped: [] }> {
  const st = await fileSystem.stat(inode);
  return { items: [{ inode, path: rootPath, stat: { ...st, size: streamSize(fileSystem, st, stream) }, stream }], skipped: [] };
}

interface ExportSource {
  imageId: string;
  imageName: string;
  partition: number | null;
  kind: 'ext4' | 'xfs' | 'fat' | 'ntfs';
  fileSystem: FileSystem;
}

async function exportOne(
  session: CaseSession, actor: Actor, jobId: string, src: ExportSource, item: ExportItem, signal: AbortSignal, onBytes: (done: number) => void,
): Promise<string> {
  const { imageId, imageName, partition, kind } = src;
  const id = randomUUID();
  const { stream } = item;
  // Windows writes "file.txt:Zone.Identifier"; ':' is not allowed in names on Windows, so '_' joins them.
  const name = safeName(path.posix.basename(item.path) + (stream === undefined ? '' : `_${stream}`), item.inode);
  const storedPath = path.join(EVIDENCE_DIR, id, name);
  const what = stream === undefined ? item.path : `${item.path}:${stream}`;
  const sourcePath = `${imageSourcePrefix(imageId, partition)}${what}`;
  const where = partition === null ? 'whole image' : `partition ${partition}`;
  // A deleted FAT file's content is a guess from free clusters: the record must say so.
  const guess = item.stat.bestEffort === true;
  const description = `Exported from image ${imageName} (${where}, ${kind}): ${what}${stream === undefined ? '' : ' (alternate data stream)'}, inode ${item.inode}${guess ? ' (deleted file: content recovered on a best-effort basis)' : ''}`;
  insertPendingArtifact(session.db, { id, storage: 'copied', name, description, sourcePath, storedPath, addedBy: actor.examiner, addedAt: nowUtc() });
  const dest = session.resolve(storedPath);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const result = await writeHashed(src.fileSystem, item.inode, item.stat.size, dest, signal, onBytes, stream);
  if (result.size !== item.stat.size) throw new AppError('UNREADABLE', `${what}: wrote ${result.size} of ${item.stat.size} bytes`);
  sealArtifact(session.db, actor, { id, name, description, storage: 'copied', sourcePath, storedPath }, result, jobId, {
    derivedFrom: imageId, partition, fileSystem: kind, path: item.path, inode: item.inode,
    mtime: item.stat.mtime, atime: item.stat.atime, ctime: item.stat.ctime, crtime: item.stat.crtime,
    mode: item.stat.mode, uid: item.stat.uid, gid: item.stat.gid,
    timeBasis: timeBasisOf(src.fileSystem.kind), bestEffort: guess,
    ...(stream === undefined ? {} : { stream }),
  });
  return id;
}
