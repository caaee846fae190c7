/**
 * Writes acquired bytes into the case as sealed artifacts: streamed to `evidence/<id>/<name>`,
 * hashed with the case's hashing, made read-only and sealed with its provenance in one custody
 * event. Artifact ids derive from the job and the source, so a resumed job finds the pending row of
 * the object it was writing when it stopped, and `abandon` can find every pending row it left.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Hashes } from '../../../../shared/types.js';
import { EVIDENCE_DIR, type CaseSession } from '../../cases/case-session.js';
import type { CaseDb } from '../../cases/case-db.js';
import { nowUtc, type Actor } from '../../custody/custody.repo.js';
import { abandonArtifact, insertPendingArtifact } from '../../evidence/artifacts.repo.js';
import { sealArtifact } from '../../evidence/seal-artifact.js';
import { hashFile } from '../../hashing/index.js';

/** A UUID-shaped id fixed by the job and the source. */
export function artifactIdFor(jobId: string, sourcePath: string): string {
  const h = createHash('sha256').update(`${jobId}\n${sourcePath}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Row {
  id: string;
  state: string;
  stored_path: string;
}

/** What to store. */
export interface StoreRequest {
  jobId: string;
  name: string;
  description: string;
  sourcePath: string;
  /** The bytes: a stream or async iterable, consumed once. */
  body: NodeJS.ReadableStream | AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** Provenance for the artifact.added event, computed once the bytes are written (it may read the file). */
  provenance: (file: string) => Record<string, unknown> | Promise<Record<string, unknown>>;
  signal: AbortSignal;
  onBytes?: (n: number) => void;
}

/** The sealed artifact. */
export interface Stored {
  artifactId: string;
  size: number;
  hashes: Hashes;
  /** The file as stored (absolute). */
  file: string;
}

/** Deletes a partial file (it is not evidence yet) and marks its pending row failed. */
function discard(session: CaseSession, row: Row): void {
  const file = session.resolve(row.stored_path);
  if (fs.existsSync(file)) {
    fs.chmodSync(file, 0o600);
    fs.rmSync(file);
  }
  abandonArtifact(session.db, row.id, 'failed');
}

/** Streams, hashes and seals one artifact; on any error the partial file is removed and the row marked failed. */
export async function storeArtifact(session: CaseSession, actor: Actor, req: StoreRequest): Promise<Stored> {
  const db = session.db;
  let artifactId = artifactIdFor(req.jobId, req.sourcePath);
  const existing = db.prepare('SELECT id, state, stored_path FROM artifacts WHERE id = ?').get(artifactId) as Row | undefined;
  let storedPath = path.join(EVIDENCE_DIR, artifactId, req.name);
  if (existing?.state === 'pending') {
    // Left by an interrupted run of this job: its bytes are incomplete, so they are fetched again.
    storedPath = existing.stored_path;
    const file = session.resolve(storedPath);
    if (fs.existsSync(file)) {
      fs.chmodSync(file, 0o600);
      fs.rmSync(file);
    }
  } else {
    if (existing) {
      artifactId = randomUUID(); // an earlier attempt failed; its row stays as the record of that
      storedPath = path.join(EVIDENCE_DIR, artifactId, req.name);
    }
    insertPendingArtifact(db, { id: artifactId, storage: 'copied', name: req.name, description: req.description, sourcePath: req.sourcePath, storedPath, addedBy: actor.examiner, addedAt: nowUtc() });
  }
  const file = session.resolve(storedPath);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    let n = 0;
    const counted = async function* (src: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
      for await (const chunk of src) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        n += b.length;
        req.onBytes?.(n);
        yield b;
      }
    };
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    await pipeline(req.body as AsyncIterable<Buffer | string>, counted, out, { signal: req.signal });
    // Flushed before sealing: a power cut must not leave a sealed artifact with missing bytes.
    const fd = fs.openSync(file, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(file, 0o444);
    const result = await hashFile(file, { signal: req.signal });
    const extra = await req.provenance(file);
    const hashes = sealArtifact(db, actor, { id: artifactId, name: req.name, description: req.description, storage: 'copied', sourcePath: req.sourcePath, storedPath }, result, req.jobId, extra);
    return { artifactId, size: result.size, hashes, file };
  } catch (err) {
    discard(session, { id: artifactId, state: 'pending', stored_path: storedPath });
    throw err;
  }
}

/** True when this job already sealed the artifact for `sourcePath` (a resumed job skips it). */
export function sealedByJob(db: CaseDb, jobId: string, sourcePath: string): string | null {
  const id = artifactIdFor(jobId, sourcePath);
  const row = db.prepare('SELECT state FROM artifacts WHERE id = ?').get(id) as { state: string } | undefined;
  return row?.state === 'complete' ? id : null;
}

/** Marks failed every pending artifact this job left (ids derive from job and source path). */
export function abandonPending(session: CaseSession, jobId: string): void {
  const rows = session.db.prepare("SELECT id, state, stored_path, source_path FROM artifacts WHERE state = 'pending'").all() as (Row & { source_path: string })[];
  for (const r of rows) if (r.id === artifactIdFor(jobId, r.source_path)) discard(session, r);
}

/** An object already in the case from S3: its artifact and what S3 said about it then. */
export interface AcquiredObject {
  artifactId: string;
  etag: string | null;
  details: Record<string, unknown>;
}

/** Every complete artifact acquired from S3, by `bucket/key` (the newest when acquired more than once). */
export function acquiredS3Objects(db: CaseDb): Map<string, AcquiredObject> {
  const rows = db
    .prepare(
      `SELECT e.artifact_id AS artifactId, e.details AS details FROM custody_events e JOIN artifacts a ON a.id = e.artifact_id
       WHERE e.action = 'artifact.added' AND a.state = 'complete' AND json_extract(e.details, '$.source') = 's3' ORDER BY e.seq`,
    )
    .all() as { artifactId: string; details: string }[];
  const map = new Map<string, AcquiredObject>();
  for (const r of rows) {
    const d = JSON.parse(r.details) as Record<string, unknown>;
    map.set(`${String(d.s3Bucket)}/${String(d.s3Key)}`, { artifactId: r.artifactId, etag: typeof d.etag === 'string' ? d.etag : null, details: d });
  }
  return map;
}
