/**
 * Open-image sessions: an image artifact's container, volumes and file systems are opened once per
 * open case and reused by every browse call and job, then closed when the case closes. Opening is
 * recorded in custody ('image.opened') once per artifact per session.
 */
import path from 'node:path';
import { AppError } from '../../../../shared/errors.js';
import type { ImageFileSystem, ImageOverview } from '../../../../shared/contract-images.js';
import type { Artifact } from '../../../../shared/types.js';
import type { CaseSession } from '../../cases/case-session.js';
import { appendEvent, type Actor } from '../../custody/custody.repo.js';
import { getArtifact, requireFileArtifact } from '../../evidence/artifacts.repo.js';
import type { ImageReader } from '../containers/image-reader.js';
import { openImage, type OpenedImage } from '../containers/open-image.js';
import type { FileSystem } from '../fs-types.js';
import { listVolumes, openPartition, type VolumeLayout } from '../volumes/list-volumes.js';
import { detectFileSystem, type DetectedFs } from './detect-fs.js';

/** One opened image artifact with everything found on it. */
export interface ImageSession {
  artifact: Artifact;
  file: string;
  opened: OpenedImage;
  layout: VolumeLayout;
  volumes: Map<number, ImageReader>;
  fileSystems: Map<number | null, DetectedFs>;
  overview: ImageOverview;
}

const open = new Map<string, Map<string, Promise<ImageSession>>>();

/** Where an artifact's file lives: copies are relative to the case folder, in-place artifacts absolute. */
export function artifactFile(session: CaseSession, a: Artifact): string {
  requireFileArtifact(a, 'Opening it as an image');
  return a.storage === 'copied' ? session.resolve(a.storedPath) : a.storedPath;
}

/** The open session of an image artifact, opening it (and recording that in custody) on first use. */
export function imageSession(session: CaseSession, actor: Actor, artifactId: string): Promise<ImageSession> {
  let byArtifact = open.get(session.id);
  if (!byArtifact) open.set(session.id, (byArtifact = new Map()));
  const known = byArtifact.get(artifactId);
  if (known) return known;
  const opening = openSession(session, actor, artifactId);
  byArtifact.set(artifactId, opening);
  // A failed open is not cached: the examiner may fix the cause (reconnect a drive) and try again.
  opening.catch(() => {
    if (open.get(session.id)?.get(artifactId) === opening) open.get(session.id)!.delete(artifactId);
  });
  return opening;
}

/** Closes every image opened in a case (called when the case closes). */
export async function closeImageSessions(caseId: string): Promise<void> {
  const byArtifact = open.get(caseId);
  open.delete(caseId);
  if (!byArtifact) return;
  for (const pending of byArtifact.values()) {
    let s: ImageSession;
    try {
      s = await pending;
    } catch {
      continue;
    }
    for (const d of s.fileSystems.values()) await d.fs?.close().catch(() => undefined);
    await s.opened.reader.close().catch(() => undefined);
  }
}

/** The reader of a partition, or of the whole image for null. */
export function volumeReader(s: ImageSession, partition: number | null): ImageReader {
  if (partition === null) return s.opened.reader;
  const r = s.volumes.get(partition);
  if (!r) throw new AppError('NOT_FOUND', `${s.artifact.name} has no partition ${partition}`);
  return r;
}

/** The opened file system of a partition (or of the whole image for null). */
export function fileSystemOf(s: ImageSession, partition: number | null): { kind: 'ext4' | 'xfs' | 'fat' | 'ntfs'; fs: FileSystem } {
  const d = s.fileSystems.get(partition);
  const where = partition === null ? `the whole image ${s.artifact.name}` : `partition ${partition} of ${s.artifact.name}`;
  if (!d) throw new AppError('NOT_FOUND', `No file system was looked for on ${where}`);
  if (d.kind === 'unknown') throw new AppError('UNREADABLE', `No readable file system on ${where}: ${d.warnings.join('; ')}`);
  return { kind: d.kind, fs: d.fs };
}

async function openSession(session: CaseSession, actor: Actor, artifactId: string): Promise<ImageSession> {
  const artifact = getArtifact(session.db, artifactId);
  if (artifact.state !== 'complete') {
    throw new AppError('INVALID_INPUT', `${artifact.name} is ${artifact.state}; only a complete (hashed) artifact can be opened as an image`);
  }
  const file = artifactFile(session, artifact);
  const opened = await openImage(file);
  try {
    const layout = await listVolumes(opened.reader);
    const volumes = new Map<number, ImageReader>();
    const fileSystems = new Map<number | null, DetectedFs>();
    for (const p of layout.partitions) {
      try {
        const reader = openPartition(opened.reader, p);
        volumes.set(p.index, reader);
        fileSystems.set(p.index, await detectFileSystem(reader));
      } catch (err) {
        layout.warnings.push(`Partition ${p.index} cannot be opened: ${(err as Error).message}`);
      }
    }
    // A bare file system image (no partition table) is looked at as a whole.
    if (layout.partitions.length === 0) fileSystems.set(null, await detectFileSystem(opened.reader));
    const overview = overviewOf(artifactId, opened, layout, fileSystems);
    appendEvent(session.db, actor, {
      action: 'image.opened',
      artifactId,
      details: {
        name: artifact.name,
        container: opened.kind,
        size: opened.reader.size,
        scheme: layout.scheme,
        partitions: layout.partitions.length,
        fileSystems: overview.fileSystems.map((f) => ({ partition: f.partition, kind: f.kind, label: f.label })),
        ...(opened.kind === 'ewf'
          ? { segments: opened.metadata.segmentCount, storedMd5: opened.metadata.storedMd5 ?? null, storedSha1: opened.metadata.storedSha1 ?? null }
          : { segments: opened.metadata.segmentCount }),
        readOnly: true,
      },
    });
    return { artifact, file, opened, layout, volumes, fileSystems, overview };
  } catch (err) {
    await opened.reader.close().catch(() => undefined);
    throw err;
  }
}

function overviewOf(artifactId: string, opened: OpenedImage, layout: VolumeLayout, found: Map<number | null, DetectedFs>): ImageOverview {
  const metadata: ImageOverview['metadata'] = {};
  for (const [k, v] of Object.entries(opened.metadata)) {
    if (v === undefined) continue;
    // Segment paths are the examiner's drive layout; the names are what identifies them.
    metadata[k] = Array.isArray(v) ? v.map((p: string) => path.basename(p)) : (v as string | number | boolean);
  }
  const fileSystems: ImageFileSystem[] = [...found].map(([partition, d]) => ({
    partition,
    kind: d.kind,
    detail: d.fs?.kind ?? 'unknown',
    label: d.fs?.label ?? '',
    blockSize: d.fs?.blockSize ?? 0,
    rootInode: d.fs?.rootInode ?? null,
    warnings: d.warnings,
  }));
  return {
    artifactId,
    kind: opened.kind,
    size: opened.reader.size,
    metadata,
    volumes: {
      scheme: layout.scheme,
      sectorSize: layout.sectorSize,
      partitions: layout.partitions.map((p) => ({ index: p.index, start: p.start, size: p.size, type: p.type, label: p.label ?? null, flags: p.flags })),
      warnings: layout.warnings,
    },
    fileSystems,
  };
}
