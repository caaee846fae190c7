/** CLI commands for offline image review: list a folder inside an image, export files from it. */
import type { ImageEntry, ImageOverview } from '../../shared/contract-images.js';
import { call, type CliCommand, CliFailure, commonOptions, need, str, waitForJob, withCase } from './cli-support.js';

/** Usage lines for these commands (for the CLI's help text). */
export const imageUsage = `  image-info CASE ARTIFACT                   show an image's container metadata, partitions and file systems
  image-ls CASE ARTIFACT [--partition N|whole] [--path /a/b]   list a folder inside an image
  image-export CASE ARTIFACT [--partition N|whole] --path /a/b [--recursive | --stream NAME]   export files (or one NTFS data stream) out of an image as new artifacts
  image-verify CASE ARTIFACT                 check an E01 against its stored hashes
`;

/** The partition the examiner named, or the only readable file system when they named none. */
export function pickPartition(o: ImageOverview, given: string | undefined): number | null {
  if (given === 'whole') return null;
  if (given !== undefined) {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 0) throw new CliFailure({ code: 'INVALID_INPUT', message: `--partition must be a partition number or "whole" (got ${given})` });
    return n;
  }
  const readable = o.fileSystems.filter((f) => f.kind !== 'unknown');
  if (readable.length === 1) return readable[0]!.partition;
  const list = readable.map((f) => `${f.partition ?? 'whole'} (${f.detail})`).join(', ') || 'none';
  throw new CliFailure({ code: 'INVALID_INPUT', message: `Name the partition with --partition; readable file systems: ${list}` });
}

function overviewText(o: ImageOverview): string {
  const meta = Object.entries(o.metadata).map(([k, v]) => `  ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  const parts = o.volumes.partitions.map((p) => `  ${String(p.index).padStart(3)}  start ${p.start}  size ${p.size}  ${p.type}${p.label ? `  "${p.label}"` : ''}`);
  const fss = o.fileSystems.map((f) => `  ${f.partition ?? 'whole'}: ${f.kind === 'unknown' ? `unknown (${f.warnings.join('; ')})` : `${f.detail} "${f.label}" block ${f.blockSize}`}`);
  return [`${o.kind} image, ${o.size} bytes`, ...meta, `Volumes: ${o.volumes.scheme}`, ...parts, ...o.volumes.warnings.map((w) => `  warning: ${w}`), 'File systems:', ...fss].join('\n');
}

function entryLine(e: ImageEntry): string {
  const mode = e.mode === null ? '?' : (e.mode & 0o7777).toString(8).padStart(4, '0');
  const name = e.symlinkTarget !== null ? `${e.name} -> ${e.symlinkTarget}` : e.name;
  return [e.deleted ? '*' : ' ', e.type.padEnd(7), String(e.inode).padStart(8), mode, `${e.uid ?? '?'}:${e.gid ?? '?'}`, String(e.size ?? '?').padStart(12), e.mtime ?? '-', name].join('  ');
}

export const imageCommands: Record<string, CliCommand> = {
  'image-info': {
    options: commonOptions,
    async run([folder, artifactId], _v, io) {
      const o = await withCase(io, folder, (caseId) => call(io, 'images.open', { caseId, artifactId: need(artifactId, 'the image artifact id after the case folder') }));
      io.out(io.json ? JSON.stringify(o, null, 2) : overviewText(o));
      return 0;
    },
  },
  'image-ls': {
    options: { ...commonOptions, partition: { type: 'string' }, path: { type: 'string' } },
    async run([folder, artifactId], v, io) {
      const id = need(artifactId, 'the image artifact id after the case folder');
      const entries = await withCase(io, folder, async (caseId) => {
        const partition = pickPartition(await call(io, 'images.open', { caseId, artifactId: id }), str(v, 'partition'));
        const dir = str(v, 'path') ? (await call(io, 'images.resolvePath', { caseId, artifactId: id, partition, path: str(v, 'path')! })).inode : undefined;
        const all: ImageEntry[] = [];
        for (let offset = 0; ; offset += 5000) {
          const page = await call(io, 'images.list', { caseId, artifactId: id, partition, inode: dir, offset, limit: 5000 });
          all.push(...page.entries);
          if (all.length >= page.total || page.entries.length === 0) break;
        }
        return all;
      });
      io.out(io.json ? JSON.stringify(entries, null, 2) : entries.map(entryLine).join('\n') || '(empty folder)');
      return 0;
    },
  },
  'image-export': {
    options: { ...commonOptions, partition: { type: 'string' }, path: { type: 'string' }, recursive: { type: 'boolean' }, stream: { type: 'string' } },
    async run([folder, artifactId], v, io) {
      const id = need(artifactId, 'the image artifact id after the case folder');
      const imagePath = need(str(v, 'path'), 'the path inside the image with --path /a/b');
      return withCase(io, folder, async (caseId) => {
        const partition = pickPartition(await call(io, 'images.open', { caseId, artifactId: id }), str(v, 'partition'));
        const { inode } = await call(io, 'images.resolvePath', { caseId, artifactId: id, partition, path: imagePath });
        const stream = str(v, 'stream');
        const { jobId } = await call(io, 'images.export', {
          caseId, artifactId: id, partition, inode, path: imagePath, recursive: v.recursive === true, ...(stream ? { stream } : {}),
        });
        const job = await waitForJob(io, caseId, jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        const ids = (job.result?.artifactIds ?? []) as string[];
        const artifacts = [];
        for (const artifactId of ids) artifacts.push(await call(io, 'evidence.get', { caseId, artifactId }));
        io.out(io.json
          ? JSON.stringify({ job: job.result, artifacts }, null, 2)
          : [`Exported ${artifacts.length} file${artifacts.length === 1 ? '' : 's'} from ${imagePath}`, ...artifacts.map((a) => `${a.id}  ${a.name}  ${a.size} bytes  SHA-256 ${a.hashes?.sha256 ?? '?'}`)].join('\n'));
        return 0;
      });
    },
  },
  'image-verify': {
    options: commonOptions,
    async run([folder, artifactId], _v, io) {
      const id = need(artifactId, 'the image artifact id after the case folder');
      return withCase(io, folder, async (caseId) => {
        const { jobId } = await call(io, 'images.verify', { caseId, artifactId: id });
        const job = await waitForJob(io, caseId, jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        const r = job.result ?? {};
        io.out(io.json ? JSON.stringify(r, null, 2) : Object.entries(r).map(([k, x]) => `${k}: ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join('\n'));
        return r.result === 'match' || r.result === 'no-stored-hashes' ? 0 : 1;
      });
    },
  },
};
