/** Job rows: operational state of long work, persisted so a crash leaves a visible trace. */
import type { Job, JobKind, JobState, Progress } from '../../../shared/types.js';
import { AppError } from '../../../shared/errors.js';
import type { CaseDb } from '../cases/case-db.js';
import { nowUtc } from '../custody/custody.repo.js';

interface JobRow {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  artifact_id: string | null;
  params: string;
  progress: string | null;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    state: row.state,
    artifactId: row.artifact_id,
    progress: row.progress ? (JSON.parse(row.progress) as Progress) : null,
    error: row.error,
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export function insertJob(db: CaseDb, job: { id: string; kind: JobKind; title: string; artifactId: string | null; params: unknown }): void {
  const now = nowUtc();
  db.prepare(
    `INSERT INTO jobs (id, kind, title, state, artifact_id, params, created_at, updated_at)
     VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)`,
  ).run(job.id, job.kind, job.title, job.artifactId, JSON.stringify(job.params), now, now);
}

export function getJob(db: CaseDb, id: string): Job {
  const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No job ${id} in this case`);
  return toJob(row);
}

export function jobParams<T>(db: CaseDb, id: string): T {
  const row = db.prepare('SELECT params FROM jobs WHERE id = ?').get(id) as { params: string } | undefined;
  if (!row) throw new AppError('NOT_FOUND', `No job ${id} in this case`);
  return JSON.parse(row.params) as T;
}

export function listJobs(db: CaseDb): Job[] {
  return (db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id').all() as JobRow[]).map(toJob);
}

export function setJobState(
  db: CaseDb,
  id: string,
  state: JobState,
  extra: { error?: string | null; result?: unknown; started?: boolean; finished?: boolean } = {},
): void {
  const now = nowUtc();
  db.prepare(
    `UPDATE jobs SET state = @state, updated_at = @now,
       error = CASE WHEN @setError THEN @error ELSE error END,
       result = CASE WHEN @setResult THEN @result ELSE result END,
       started_at = CASE WHEN @started THEN @now ELSE started_at END,
       finished_at = CASE WHEN @finished THEN @now WHEN @state IN ('queued', 'running') THEN NULL ELSE finished_at END
     WHERE id = @id`,
  ).run({
    id,
    state,
    now,
    setError: extra.error !== undefined ? 1 : 0,
    error: extra.error ?? null,
    setResult: extra.result !== undefined ? 1 : 0,
    result: extra.result !== undefined ? JSON.stringify(extra.result) : null,
    started: extra.started ? 1 : 0,
    finished: extra.finished ? 1 : 0,
  });
}

export function saveProgress(db: CaseDb, id: string, progress: Progress): void {
  db.prepare('UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(progress), nowUtc(), id);
}

/** Jobs left queued or running by a process that is gone. */
export function unfinishedJobs(db: CaseDb): Job[] {
  return (db.prepare("SELECT * FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at").all() as JobRow[]).map(toJob);
}
