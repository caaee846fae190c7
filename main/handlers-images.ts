/** The offline image review operations of the contract (shared/contract-images.ts). */
import { randomUUID } from 'node:crypto';
import type { imagesChannels } from '../shared/contract-images.js';
import { AppError } from '../shared/errors.js';
import { getArtifact } from './core/evidence/artifacts.repo.js';
import { insertJob } from './core/jobs/jobs.repo.js';
import type { ExportImageParams } from './core/images/export/export-image.job.js';
import { hashInode, listDirectory, readFileBytes, readRawBytes, resolvePath, statInode, streamSize, toImageStat } from './core/images/session/browse.js';
import { fileSystemOf, imageSession, type ImageSession } from './core/images/session/image-sessions.js';
import type { HandlerContext, Handlers } from './handlers.js';

/** The open image session of an artifact in an open case, opened (and recorded in custody) on first use. */
function sessionOf(ctx: HandlerContext, caseId: string, artifactId: string): Promise<ImageSession> {
  const actor = ctx.ws.actor();
  return imageSession(ctx.ws.get(caseId).session, actor, artifactId);
}

export const imagesHandlers: Pick<Handlers, keyof typeof imagesChannels> = {
  'images.open': async (input, ctx) => {
    const s = await sessionOf(ctx, input.caseId, input.artifactId);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return s.overview;
  },
  'images.verify': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const a = getArtifact(session.db, input.artifactId);
    if (a.state !== 'complete') throw new AppError('INVALID_INPUT', `${a.name} is ${a.state}; only a complete artifact can be verified as an image`);
    const jobId = randomUUID();
    insertJob(session.db, { id: jobId, kind: 'images.verify', title: `Verify image: ${a.name}`, artifactId: a.id, params: { artifactId: a.id } });
    runner.enqueue(jobId);
    return { jobId };
  },
  'images.list': async (input, ctx) =>
    listDirectory(await sessionOf(ctx, input.caseId, input.artifactId), input.partition, input.inode, input.offset, input.limit),
  'images.stat': async (input, ctx) => statInode(await sessionOf(ctx, input.caseId, input.artifactId), input.partition, input.inode),
  'images.readFile': async (input, ctx) =>
    readFileBytes(await sessionOf(ctx, input.caseId, input.artifactId), input.partition, input.inode, input.offset, input.length, input.stream),
  'images.readRaw': async (input, ctx) =>
    readRawBytes(await sessionOf(ctx, input.caseId, input.artifactId), input.partition, input.offset, input.length),
  'images.hashFile': async (input, ctx) => hashInode(await sessionOf(ctx, input.caseId, input.artifactId), input.partition, input.inode, input.stream),
  'images.resolvePath': async (input, ctx) => {
    const { fs } = fileSystemOf(await sessionOf(ctx, input.caseId, input.artifactId), input.partition);
    const inode = await resolvePath(fs, input.path);
    return { inode, stat: toImageStat(await fs.stat(inode), fs.kind) };
  },
  'images.export': async (input, ctx) => {
    const s = await sessionOf(ctx, input.caseId, input.artifactId);
    const { session, runner } = ctx.ws.get(input.caseId);
    const { fs } = fileSystemOf(s, input.partition);
    // Refuse what cannot be exported now, rather than as a failed job later.
    const st = await fs.stat(input.inode);
    if (input.stream !== undefined) {
      if (input.recursive) throw new AppError('INVALID_INPUT', 'A stream is exported from one file; recursive cannot be set with a stream');
      streamSize(fs, st, input.stream);
    } else if (st.type !== 'file' && !(st.type === 'dir' && input.recursive)) {
      throw new AppError('INVALID_INPUT', st.type === 'dir' ? 'This is a folder; export it with recursive set' : `Only files and folders can be exported (this is a ${st.type})`);
    }
    if (input.path && (await resolvePath(fs, input.path)) !== input.inode) {
      throw new AppError('INVALID_INPUT', `${input.path} is not inode ${input.inode} in this file system`);
    }
    const params: ExportImageParams = { imageArtifactId: s.artifact.id, partition: input.partition, inode: input.inode, path: input.path ?? null, recursive: input.recursive, stream: input.stream ?? null };
    const jobId = randomUUID();
    const what = `${input.path ?? `inode ${input.inode}`}${input.stream !== undefined ? `:${input.stream}` : ''}`;
    insertJob(session.db, { id: jobId, kind: 'images.export', title: `Export from ${s.artifact.name}: ${what}`, artifactId: s.artifact.id, params });
    runner.enqueue(jobId);
    return { jobId };
  },
};
