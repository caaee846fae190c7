/** The workstation: its settings, the cases it has open, their job runners, and the event bus. */
import os from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import type { AppEvent } from '../../../shared/events.js';
import { AppError } from '../../../shared/errors.js';
import type { ExaminerProfile } from '../../../shared/types.js';
import { lockCase } from '../cases/case-lock.js';
import { assertFolder, CaseSession } from '../cases/case-session.js';
import { appendEvent, chainHead, type Actor } from '../custody/custody.repo.js';
import { imageSnapshotJob } from '../aws/image-job/image-snapshot.job.js';
import { snapshotJob } from '../aws/snapshot/snapshot.job.js';
import { captureContextJob } from '../aws/context/context.job.js';
import { addEvidenceJob } from '../evidence/add-evidence.job.js';
import { verifyEvidenceJob } from '../evidence/verify-evidence.job.js';
import { JobRunner } from '../jobs/job-runner.js';
import { ingestLogsJob, textIndexJob } from '../logs/ingest/index.js';
import { ingestFlowsJob } from '../logs/flows/index.js';
import { acquireCwlFlowsJob, acquireLookupJob, acquireS3Job } from '../logs/acquire/index.js';
import { exportImageJob } from '../images/export/export-image.job.js';
import { closeImageSessions } from '../images/session/image-sessions.js';
import { verifyImageJob } from '../images/session/verify-image.job.js';
import { bodyfileJob } from '../images/bodyfile/bodyfile.job.js';
import { addBodyfileJob } from '../logs/ingest/add-bodyfile.job.js';
import { WorkstationSettings } from './settings.js';

export interface OpenCase {
  session: CaseSession;
  runner: JobRunner;
  release: () => void;
}

/** How an examiner is written into custody events: "Name (Organisation, ID)". */
export function examinerLabel(p: ExaminerProfile): string {
  return `${p.name} (${[p.organisation, p.badgeId].filter(Boolean).join(', ')})`;
}

export class Workstation {
  readonly settings: WorkstationSettings;
  readonly hostname = os.hostname();
  private readonly open = new Map<string, OpenCase>();
  private readonly bus = new EventEmitter();

  constructor(
    readonly userDataDir: string,
    readonly casesDir: string,
    readonly appVersion: string,
  ) {
    this.settings = new WorkstationSettings(userDataDir);
    this.bus.setMaxListeners(100);
  }

  /** The examiner acting now; every action that writes custody needs one. */
  actor(): Actor {
    const p = this.settings.profile;
    if (!p) throw new AppError('NO_PROFILE', 'Set up your examiner profile (name and organisation) before working on a case');
    return { examiner: examinerLabel(p), workstation: this.hostname };
  }

  profile(): ExaminerProfile {
    const p = this.settings.profile;
    if (!p) throw new AppError('NO_PROFILE', 'Set up your examiner profile (name and organisation) before working on a case');
    return p;
  }

  emit(event: AppEvent): void {
    this.bus.emit('event', event);
  }

  onEvent(cb: (e: AppEvent) => void): () => void {
    this.bus.on('event', cb);
    return () => this.bus.off('event', cb);
  }

  get(caseId: string): OpenCase {
    const c = this.open.get(caseId);
    if (!c) throw new AppError('CASE_NOT_OPEN', 'This case is not open; open it from the case list first');
    return c;
  }

  isOpen(caseId: string): boolean {
    return this.open.has(caseId);
  }

  findOpenByPath(folder: string): OpenCase | undefined {
    const wanted = path.resolve(folder);
    return [...this.open.values()].find((c) => path.resolve(c.session.path) === wanted);
  }

  /** Takes over an opened session: lock, job runner, interrupted-job recovery, recent list. */
  adopt(session: CaseSession, release: () => void, action: 'case.created' | 'case.opened'): OpenCase {
    const actor = () => this.actor();
    const runner = new JobRunner(
      session,
      {
        'evidence.add': addEvidenceJob(actor),
        'evidence.verify': verifyEvidenceJob(actor),
        'logs.ingest': ingestLogsJob(actor),
        'logs.index': textIndexJob(actor),
        'images.verify': verifyImageJob(actor),
        'images.export': exportImageJob(actor),
        'aws.image': imageSnapshotJob(this, actor),
        'aws.snapshot': snapshotJob(this, actor),
        'flows.ingest': ingestFlowsJob(actor),
        'aws.context': captureContextJob(this, actor),
        'images.bodyfile': bodyfileJob(actor),
        'timeline.add-bodyfile': addBodyfileJob(actor),
        'logs.acquire-s3': acquireS3Job(this, actor),
        'logs.acquire-lookup': acquireLookupJob(this, actor),
        'flows.acquire-cwl': acquireCwlFlowsJob(this, actor),
      },
      actor,
      (e) => this.emit(e),
    );
    const entry: OpenCase = { session, runner, release };
    this.open.set(session.id, entry);
    if (action === 'case.opened') {
      appendEvent(session.db, this.actor(), { action: 'case.opened', details: { folder: session.path, app: `Caseward ${this.appVersion}` } });
      runner.recoverInterrupted();
    }
    const head = chainHead(session.db);
    const previous = this.settings.recentCase(session.id);
    this.settings.rememberCase({
      id: session.id,
      path: session.path,
      number: session.info.number,
      title: session.info.title,
      lastOpenedAt: new Date().toISOString(),
      lastSeenHead: previous && (previous.lastSeenHead.seq > head.seq || !holds(session, previous.lastSeenHead)) ? previous.lastSeenHead : { seq: head.seq, hash: head.hash },
    });
    return entry;
  }

  /** Opens a folder as a case, holding its lock; closes it again if anything fails. */
  openFolder(folder: string, open: (folder: string) => CaseSession): OpenCase {
    assertFolder(folder);
    const release = lockCase(folder);
    let session: CaseSession | undefined;
    try {
      session = open(folder);
      if (this.open.has(session.id)) {
        throw new AppError('CONFLICT', `Case ${session.info.number} is already open from ${this.open.get(session.id)!.session.path}`);
      }
      return this.adopt(session, release, 'case.opened');
    } catch (err) {
      if (session && !this.open.has(session.id)) session.close();
      release();
      throw err;
    }
  }

  async close(caseId: string): Promise<void> {
    const c = this.get(caseId);
    await c.runner.close();
    await closeImageSessions(caseId);
    if (this.settings.profile) appendEvent(c.session.db, this.actor(), { action: 'case.closed', details: {} });
    const head = chainHead(c.session.db);
    const seen = this.settings.recentCase(caseId)?.lastSeenHead;
    if (!seen || holds(c.session, seen)) this.settings.updateHead(caseId, { seq: head.seq, hash: head.hash });
    c.session.close();
    c.release();
    this.open.delete(caseId);
    this.emit({ kind: 'case.changed', caseId, what: 'case' });
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.close(id);
  }
}

/** Whether the chain still contains the head this workstation remembers, unchanged. */
function holds(session: CaseSession, head: { seq: number; hash: string }): boolean {
  const row = session.db.prepare('SELECT hash FROM custody_events WHERE seq = ?').get(head.seq) as { hash: string } | undefined;
  return head.seq === 0 || row?.hash === head.hash;
}
