/** The timeline pinning operation of the contract (shared/contract-timeline.ts). */
import type { timelineChannels } from '../shared/contract-timeline.js';
import type { TimelineEventDetail } from '../shared/types.js';
import { appendEvent } from './core/custody/custody.repo.js';
import { getTimelineEvent } from './core/logs/timeline/index.js';
import { createNote, getNote, reviseNote } from './core/notes/notes.repo.js';
import type { Handlers } from './handlers.js';

/**
 * The reference block a pin writes into a note: enough to find the event again in the log file
 * without Caseward (event id, time, the file's artifact id and the SHA-256 it had at acquisition).
 */
export function pinReferenceBlock(e: TimelineEventDetail): string {
  const lines = [
    `event id:      ${e.eventId}`,
    `event time:    ${e.eventTime} (UTC)`,
    `event:         ${e.eventSource} / ${e.eventName}`,
    `actor:         ${e.identityArn ?? e.actor ?? '—'}`,
    `source ip:     ${e.sourceIp ?? '—'}`,
    `region:        ${e.awsRegion ?? '—'}  account: ${e.accountId ?? '—'}`,
    ...(e.errorCode ? [`error:         ${e.errorCode}`] : []),
    `log file:      ${e.source.name}`,
    `artifact id:   ${e.source.artifactId}`,
    `log sha256:    ${e.source.sha256}`,
    `record offset: ${e.source.offset}`,
  ];
  return ['**Pinned CloudTrail event**', '', '```text', ...lines, '```'].join('\n');
}

export const timelineHandlers: Pick<Handlers, keyof typeof timelineChannels> = {
  'timeline.pin': (input, ctx) => {
    const actor = ctx.ws.actor();
    const { db } = ctx.ws.get(input.caseId).session;
    const event = getTimelineEvent(db, input.eventId);
    const block = pinReferenceBlock(event);
    const comment = input.comment.trim();
    const pinned = comment ? `${comment}\n\n${block}` : block;
    // Note revision and custody event commit together: a pin is never half recorded.
    const result = db.transaction(() => {
      let note;
      if (input.target.kind === 'new') {
        note = createNote(db, actor, { artifactId: event.source.artifactId, title: input.target.title, body: pinned });
      } else {
        const base = getNote(db, input.target.noteId);
        const body = base.body.trim() ? `${base.body.replace(/\s+$/, '')}\n\n${pinned}` : pinned;
        note = reviseNote(db, actor, { noteId: base.id, baseRevision: input.target.baseRevision, title: base.title, body });
      }
      const custody = appendEvent(db, actor, {
        action: 'timeline.pinned',
        artifactId: event.source.artifactId,
        details: {
          eventId: event.eventId,
          eventTime: event.eventTime,
          eventSource: event.eventSource,
          eventName: event.eventName,
          sourceArtifactId: event.source.artifactId,
          sourceSha256: event.source.sha256,
          sourceOffset: event.source.offset,
          noteId: note.id,
          noteRevision: note.revision,
        },
      });
      return { note, custodySeq: custody.seq };
    })();
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'notes' });
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return result;
  },
};
