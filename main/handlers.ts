/**
 * The contract implemented, once. The mapped type makes the compiler refuse a missing handler
 * or one whose input or output does not match shared/contract.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Channel, OutputOf, ParsedInputOf } from '../shared/contract.js';
import { AppError } from '../shared/errors.js';
import type { ChainVerification } from '../shared/types.js';
import { createCase, EVIDENCE_DIR, openCase } from './core/cases/case-session.js';
import { lockCase } from './core/cases/case-lock.js';
import { appendEvent, listEvents, nowUtc } from './core/custody/custody.repo.js';
import { exportCustody } from './core/custody/export-custody.js';
import { verifyChain } from './core/custody/verify-chain.js';
import { getArtifact, insertPendingArtifact, listArtifacts, requireFileArtifact } from './core/evidence/artifacts.repo.js';
import { checkSourceFile } from './core/evidence/source-check.js';
import { detectEvidenceSet } from './core/evidence/evidence-set.js';
import { getJob, insertJob, listJobs, setJobState } from './core/jobs/jobs.repo.js';
import { createNote, listNotes, noteHistory, reviseNote } from './core/notes/notes.repo.js';
import type { Workstation } from './core/workstation/workstation.js';
import { logsHandlers } from './handlers-logs.js';
import { logsValidateHandlers } from './handlers-logs-validate.js';
import { awsHandlers } from './handlers-aws.js';
import { awsPreserveHandlers } from './handlers-aws-preserve.js';
import { awsShareHandlers } from './handlers-aws-share.js';
import { awsContextHandlers } from './handlers-aws-context.js';
import { imagesHandlers } from './handlers-images.js';
import { timelineHandlers } from './handlers-timeline.js';
import { flowsHandlers } from './handlers-flows.js';
import { highlightsHandlers } from './handlers-highlights.js';
import { timelineExportHandlers } from './handlers-timeline-export.js';
import { logsAcquireHandlers } from './handlers-logs-acquire.js';
import { imagesBodyfileHandlers } from './handlers-images-bodyfile.js';

export interface HandlerContext {
  ws: Workstation;
  door: 'electron' | 'browser' | 'cli';
  nativeDialogs: boolean;
}

export type Handlers = {
  [C in Channel]: (input: ParsedInputOf<C>, ctx: HandlerContext) => Promise<OutputOf<C>> | OutputOf<C>;
};

/** A folder name from a case number that every file system accepts. */
function folderNameFor(number: string): string {
  return number.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^[. ]+|[. ]+$/g, '') || 'case';
}

function chainWithHistory(ctx: HandlerContext, caseId: string): ChainVerification {
  const { session } = ctx.ws.get(caseId);
  const result = verifyChain(session.db);
  // The workstation remembers the last head it saw: a log cut short after that is noticed.
  const seen = ctx.ws.settings.recentCase(caseId)?.lastSeenHead;
  if (seen && seen.seq > 0) {
    const row = session.db.prepare('SELECT hash FROM custody_events WHERE seq = ?').get(seen.seq) as { hash: string } | undefined;
    const reason = !row
      ? `the log ends at event ${result.headSeq}, but this workstation earlier saw it reach event ${seen.seq}: events were removed`
      : row.hash !== seen.hash
        ? `event ${seen.seq} differs from what this workstation saw earlier (hash ${seen.hash.slice(0, 16)}…)`
        : null;
    if (reason) {
      result.problems.unshift({ kind: 'event', seq: seen.seq, reason });
      result.firstBreak ??= { seq: seen.seq, reason };
      result.ok = false;
    }
  }
  if (result.ok) ctx.ws.settings.updateHead(caseId, { seq: result.headSeq, hash: result.headHash });
  return result;
}

export const handlers: Handlers = {
  ...logsHandlers,
  ...logsValidateHandlers,
  ...awsHandlers,
  ...awsPreserveHandlers,
  ...awsShareHandlers,
  ...awsContextHandlers,
  ...imagesHandlers,
  ...timelineHandlers,
  ...flowsHandlers,
  ...highlightsHandlers,
  ...timelineExportHandlers,
  ...imagesBodyfileHandlers,
  ...logsAcquireHandlers,

  'app.info': (_input, ctx) => ({
    version: ctx.ws.appVersion,
    workstation: ctx.ws.hostname,
    door: ctx.door,
    userDataDir: ctx.ws.userDataDir,
    defaultCasesDir: ctx.ws.casesDir,
    nativeDialogs: ctx.nativeDialogs,
  }),
  'settings.getProfile': (_input, ctx) => ctx.ws.settings.profile,
  'settings.setProfile': (input, ctx) => {
    const profile = { name: input.name, organisation: input.organisation, ...(input.badgeId ? { badgeId: input.badgeId } : {}) };
    ctx.ws.settings.setProfile(profile);
    return profile;
  },

  'cases.create': (input, ctx) => {
    const actor = ctx.ws.actor();
    const folder = path.resolve(input.path ?? path.join(ctx.ws.casesDir, folderNameFor(input.number)));
    fs.mkdirSync(path.dirname(folder), { recursive: true });
    const session = createCase(folder, input, actor, ctx.ws.appVersion);
    let release: () => void;
    try {
      release = lockCase(folder);
    } catch (err) {
      session.close();
      throw err;
    }
    ctx.ws.adopt(session, release, 'case.created');
    return session.summary();
  },
  'cases.open': (input, ctx) => {
    ctx.ws.actor();
    const folder = path.resolve(input.path);
    const already = ctx.ws.findOpenByPath(folder);
    if (already) return already.session.summary();
    return ctx.ws.openFolder(folder, openCase).session.summary();
  },
  'cases.close': async (input, ctx) => {
    await ctx.ws.close(input.caseId);
    return null;
  },
  'cases.list': (_input, ctx) =>
    ctx.ws.settings.recentCases.map((c) => ({
      id: c.id,
      path: c.path,
      number: c.number,
      title: c.title,
      lastOpenedAt: c.lastOpenedAt,
      open: ctx.ws.isOpen(c.id),
      reachable: fs.existsSync(path.join(c.path, 'case.sqlite')),
    })),
  'cases.get': (input, ctx) => ctx.ws.get(input.caseId).session.summary(),

  'evidence.add': async (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const source = path.resolve(input.sourcePath);
    checkSourceFile(source);
    // A first segment brings its whole set (E01 set, split raw); a later segment alone is refused.
    const set = await detectEvidenceSet(source);
    const segments = set.files.length > 1 ? set.files : undefined;
    if (input.mode === 'copy' && source.startsWith(path.join(session.path, EVIDENCE_DIR) + path.sep)) {
      throw new AppError('INVALID_INPUT', 'This file is already inside the case\'s evidence folder');
    }
    const artifactId = randomUUID();
    const jobId = randomUUID();
    const name = path.basename(source);
    const storedPath = input.mode === 'copy' ? path.join(EVIDENCE_DIR, artifactId, name) : source;
    session.db.transaction(() => {
      insertPendingArtifact(session.db, {
        id: artifactId,
        storage: input.mode === 'copy' ? 'copied' : 'in-place',
        name,
        description: input.description,
        sourcePath: source,
        storedPath,
        addedBy: actor.examiner,
        addedAt: nowUtc(),
      });
      insertJob(session.db, {
        id: jobId,
        kind: 'evidence.add',
        title: `${input.mode === 'copy' ? 'Copy and hash' : 'Hash in place'}: ${name}${segments ? ` (${segments.length} segments)` : ''}`,
        artifactId,
        params: { artifactId, sourcePath: source, mode: input.mode, ...(segments ? { segments } : {}) },
      });
    }).immediate();
    runner.enqueue(jobId);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'artifacts' });
    return { jobId, artifactId };
  },
  'evidence.list': (input, ctx) => listArtifacts(ctx.ws.get(input.caseId).session.db),
  'evidence.get': (input, ctx) => getArtifact(ctx.ws.get(input.caseId).session.db, input.artifactId),
  'evidence.verify': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    // A cloud reference has no bytes of ours to re-hash; asking for it by id is a clear error.
    for (const id of input.artifactIds ?? []) requireFileArtifact(getArtifact(session.db, id), 'Verification');
    const jobId = randomUUID();
    const count = input.artifactIds?.length;
    insertJob(session.db, {
      id: jobId,
      kind: 'evidence.verify',
      title: count === undefined ? 'Verify all evidence' : `Verify ${count} artifact${count === 1 ? '' : 's'}`,
      artifactId: count === 1 ? input.artifactIds![0]! : null,
      params: { artifactIds: input.artifactIds ?? null },
    });
    runner.enqueue(jobId);
    return { jobId };
  },

  'custody.list': (input, ctx) =>
    listEvents(ctx.ws.get(input.caseId).session.db, { artifactId: input.artifactId, offset: input.offset, limit: input.limit }),
  'custody.verifyChain': (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session } = ctx.ws.get(input.caseId);
    const result = chainWithHistory(ctx, input.caseId);
    appendEvent(session.db, actor, {
      action: 'chain.verified',
      details: { ok: result.ok, eventCount: result.eventCount, headSeq: result.headSeq, headHash: result.headHash, firstBreak: result.firstBreak, problems: result.problems.length },
    });
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return result;
  },

  'notes.list': (input, ctx) => listNotes(ctx.ws.get(input.caseId).session.db, input.artifactId),
  'notes.create': (input, ctx) => {
    const note = createNote(ctx.ws.get(input.caseId).session.db, ctx.ws.actor(), input);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'notes' });
    return note;
  },
  'notes.revise': (input, ctx) => {
    const note = reviseNote(ctx.ws.get(input.caseId).session.db, ctx.ws.actor(), input);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'notes' });
    return note;
  },
  'notes.history': (input, ctx) => noteHistory(ctx.ws.get(input.caseId).session.db, input.noteId),

  'jobs.list': (input, ctx) => listJobs(ctx.ws.get(input.caseId).session.db),
  'jobs.cancel': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    runner.cancel(input.jobId);
    return getJob(session.db, input.jobId);
  },
  'jobs.resume': (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const job = getJob(session.db, input.jobId);
    if (job.state !== 'interrupted') throw new AppError('JOB_STATE', `Only an interrupted job can be resumed (this one is ${job.state})`);
    runner.assertResumable(job.id);
    session.db.transaction(() => {
      setJobState(session.db, job.id, 'queued', { error: null });
      appendEvent(session.db, actor, { action: 'job.resumed', artifactId: job.artifactId, details: { jobId: job.id, kind: job.kind } });
    }).immediate();
    runner.enqueue(job.id);
    return getJob(session.db, job.id);
  },
  'jobs.discard': (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const job = getJob(session.db, input.jobId);
    if (job.state !== 'interrupted') throw new AppError('JOB_STATE', `Only an interrupted job can be discarded (this one is ${job.state})`);
    runner.discard(job.id, actor);
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'artifacts' });
    return getJob(session.db, job.id);
  },

  'reports.exportCustody': async (input, ctx) => {
    const actor = ctx.ws.actor();
    const { session } = ctx.ws.get(input.caseId);
    const result = await exportCustody(session, input.format, { actor, profile: ctx.ws.profile(), appVersion: ctx.ws.appVersion });
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return result;
  },
};

