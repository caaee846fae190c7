/** The contract's body file operations (issue 5): a whole file system as a TSK body file, and body files into the timeline. */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';

export const imagesBodyfileChannels = {
  /** Job images.bodyfile: a body file of the file system on `partition` (null: the whole image) as a new artifact. */
  'images.bodyfile': {
    input: z.object({
      ...caseRef,
      artifactId: id,
      partition: z.number().int().min(0).max(100_000).nullable(),
      /** Also merge the body file's times into the case timeline (then a text-index job follows). */
      addToTimeline: z.boolean().default(true),
    }),
    output: out<{ jobId: string; artifactId: string; indexJobId: string | null }>(),
  },
  /** Job timeline.add-bodyfile: a body file artifact (ours or `fls -m` output added as evidence) into the timeline. */
  'timeline.addBodyfile': {
    input: z.object({ ...caseRef, artifactId: id }),
    output: out<{ jobId: string; indexJobId: string }>(),
  },
} as const;
