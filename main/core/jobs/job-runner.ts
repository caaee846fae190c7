/**
 * Runs a case's jobs one at a time (they are disk-bound; running two would only thrash the
 * disk), persists their state, records start and end in custody, and throttles progress events.
 */
import type { Job, JobKind, Progress } from '../../../shared/types.js';
import { AppError, toErrorInfo } from '../../../shared/errors.js';
import type { AppEvent } from '../../../shared/events.js';
import type { CaseSession } from '../cases/case-session.js';
import { appendEvent, type Actor } from '../custody/custody.repo.js';
import { getJob, saveProgress, setJobState, unfinishedJobs } from './jobs.repo.js';
import { ProgressMeter, type ProgressUpdate } from './progress-meter.js';

/** What a job's work function gets. */
export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

/** A kind of job: its work, and what happens to its artifact when it ends without success. */
export interface JobHandler {
  run(session: CaseSession, jobId: string, ctx: JobContext): Promise<Record<string, unknown>>;
  /** Called when the job fails, is cancelled or is discarded, to leave nothing that looks complete. */
  abandon(session: CaseSession, jobId: string, outcome: 'failed' | 'cancelled' | 'discarded'): void;
  /** Throws if an interrupted job cannot run again yet (it then stays interrupted, its partial work kept). */
  assertResumable?(session: CaseSession, jobId: string): void;
}

const EVENT_INTERVAL_MS = 250;
const PERSIST_INTERVAL_MS = 2000;

/** Shutdown is not a cancellation: the job becomes interrupted and can be resumed. */
class Shutdown extends Error {}

export class JobRunner {
  private readonly queue: string[] = [];
  private running: { id: string; controller: AbortController } | null = null;
  private idle: Promise<void> = Promise.resolve();
  private draining = false;
  private closed = false;

  constructor(
    private readonly session: CaseSession,
    private readonly handlers: Record<JobKind, JobHandler>,
    private readonly actor: () => Actor,
    private readonly emit: (e: AppEvent) => void,
  ) {}

  /** Marks jobs a dead process left behind as interrupted; the examiner decides what happens next. */
  recoverInterrupted(): Job[] {
    const found = unfinishedJobs(this.session.db);
    for (const job of found) {
      this.session.db.transaction(() => {
        setJobState(this.session.db, job.id, 'interrupted', { error: 'Caseward stopped while this job was running', finished: true });
        appendEvent(this.session.db, this.actor(), { action: 'job.interrupted', artifactId: job.artifactId, details: { jobId: job.id, kind: job.kind, previousState: job.state } });
      }).immediate();
    }
    return found.map((j) => getJob(this.session.db, j.id));
  }

  enqueue(jobId: string): void {
    if (this.closed) throw new AppError('JOB_STATE', 'The case is closing');
    this.queue.push(jobId);
    this.changed(jobId);
    if (!this.draining) this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const id = this.queue.shift()!;
        await this.runOne(id);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runOne(jobId: string): Promise<void> {
    const { db } = this.session;
    const job = getJob(db, jobId);
    if (job.state !== 'queued') return;
    const controller = new AbortController();
    this.running = { id: jobId, controller };
    const meter = new ProgressMeter();
    let lastEvent = 0;
    let lastPersist = 0;
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (u) => {
        const p = meter.update(u);
        const t = performance.now();
        if (t - lastEvent >= EVENT_INTERVAL_MS) {
          lastEvent = t;
          this.emit({ kind: 'job.progress', caseId: this.session.id, jobId, progress: p });
        }
        if (t - lastPersist >= PERSIST_INTERVAL_MS) {
          lastPersist = t;
          saveProgress(db, jobId, p);
        }
      },
    };
    db.transaction(() => {
      setJobState(db, jobId, 'running', { started: true, error: null });
      appendEvent(db, this.actor(), { action: 'job.started', artifactId: job.artifactId, details: { jobId, kind: job.kind, title: job.title } });
    }).immediate();
    this.changed(jobId);
    const handler = this.handlers[job.kind];
    try {
      const result = await handler.run(this.session, jobId, ctx);
      this.finish(jobId, meter.value, () => {
        setJobState(db, jobId, 'succeeded', { result, finished: true });
        appendEvent(db, this.actor(), { action: 'job.finished', artifactId: job.artifactId, details: { jobId, kind: job.kind } });
      });
    } catch (err) {
      const reason = controller.signal.reason;
      if (reason instanceof Shutdown) {
        this.finish(jobId, meter.value, () => {
          setJobState(db, jobId, 'interrupted', { error: 'Caseward was closed while this job was running', finished: true });
          appendEvent(db, this.actor(), { action: 'job.interrupted', artifactId: job.artifactId, details: { jobId, kind: job.kind } });
        });
      } else if (controller.signal.aborted) {
        this.finish(jobId, meter.value, () => {
          handler.abandon(this.session, jobId, 'cancelled');
          setJobState(db, jobId, 'cancelled', { error: 'Cancelled by the examiner', finished: true });
          appendEvent(db, this.actor(), { action: 'job.cancelled', artifactId: job.artifactId, details: { jobId, kind: job.kind } });
        });
      } else {
        const info = toErrorInfo(err);
        this.finish(jobId, meter.value, () => {
          handler.abandon(this.session, jobId, 'failed');
          setJobState(db, jobId, 'failed', { error: info.message, finished: true });
          appendEvent(db, this.actor(), { action: 'job.failed', artifactId: job.artifactId, details: { jobId, kind: job.kind, code: info.code, error: info.message } });
        });
      }
    } finally {
      this.running = null;
    }
  }

  private finish(jobId: string, progress: Progress, record: () => void): void {
    const { db } = this.session;
    if (!db.open) return;
    db.transaction(() => {
      saveProgress(db, jobId, progress);
      record();
    }).immediate();
    this.changed(jobId);
  }

  /** Tells listeners a job moved; its start and end also wrote custody and may have changed artifacts. */
  private changed(jobId: string): void {
    if (!this.session.db.open) return;
    const job = getJob(this.session.db, jobId);
    this.emit({ kind: 'job.changed', caseId: this.session.id, job });
    this.emit({ kind: 'case.changed', caseId: this.session.id, what: 'jobs' });
    if (job.state !== 'queued') {
      this.emit({ kind: 'case.changed', caseId: this.session.id, what: 'custody' });
      this.emit({ kind: 'case.changed', caseId: this.session.id, what: 'artifacts' });
    }
  }

  cancel(jobId: string): void {
    const i = this.queue.indexOf(jobId);
    if (i >= 0) {
      this.queue.splice(i, 1);
      const job = getJob(this.session.db, jobId);
      this.session.db.transaction(() => {
        this.handlers[job.kind].abandon(this.session, jobId, 'cancelled');
        setJobState(this.session.db, jobId, 'cancelled', { error: 'Cancelled by the examiner', finished: true });
        appendEvent(this.session.db, this.actor(), { action: 'job.cancelled', artifactId: job.artifactId, details: { jobId, kind: job.kind } });
      }).immediate();
      this.changed(jobId);
      return;
    }
    if (this.running?.id !== jobId) throw new AppError('JOB_STATE', 'Only a queued or running job can be cancelled');
    this.running.controller.abort();
  }

  /** Asks the job's handler whether an interrupted job can run again now. */
  assertResumable(jobId: string): void {
    const job = getJob(this.session.db, jobId);
    this.handlers[job.kind].assertResumable?.(this.session, jobId);
  }

  /** Ends an interrupted job for good; its pending artifact is marked discarded, never complete. */
  discard(jobId: string, actor: Actor): void {
    const job = getJob(this.session.db, jobId);
    this.session.db.transaction(() => {
      this.handlers[job.kind].abandon(this.session, jobId, 'discarded');
      setJobState(this.session.db, jobId, 'discarded', { finished: true });
      appendEvent(this.session.db, actor, { action: 'job.discarded', artifactId: job.artifactId, details: { jobId, kind: job.kind } });
    }).immediate();
    this.changed(jobId);
  }

  /** Resolves when every queued and running job has ended. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Stops taking work; a running job is interrupted (resumable), queued ones stay queued → interrupted on next open. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.controller.abort(new Shutdown('shutdown'));
    await this.idle;
    for (const id of this.queue.splice(0)) {
      const job = getJob(this.session.db, id);
      this.session.db.transaction(() => {
        setJobState(this.session.db, id, 'interrupted', { error: 'Caseward was closed before this job started', finished: true });
        appendEvent(this.session.db, this.actor(), { action: 'job.interrupted', artifactId: job.artifactId, details: { jobId: id, kind: job.kind } });
      }).immediate();
    }
  }
}
