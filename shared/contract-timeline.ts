/** The contract's timeline pinning operation; merged into `channels` in contract.ts. */
import { z } from 'zod';
import { caseRef, id, out, text } from './contract-kit.js';
import type { Note } from './types.js';

/** Where a pinned event goes: a new note (about the event's log file) or a new revision of an existing note. */
export const pinTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new'), title: z.string().trim().min(1, 'Title is required').max(300) }),
  z.object({
    kind: z.literal('existing'),
    noteId: id,
    /** The revision the examiner saw; a newer one is refused rather than silently appended to. */
    baseRevision: z.number().int().min(1),
  }),
]);

export const timelineChannels = {
  'timeline.pin': {
    input: z.object({
      ...caseRef,
      eventId: z.string().min(1).max(200),
      target: pinTargetSchema,
      /** The examiner's words written above the reference block. */
      comment: text(20_000).default(''),
    }),
    output: out<{ note: Note; custodySeq: number }>(),
  },
} as const;
