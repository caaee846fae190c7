/** The contract's timeline export operation (CSV or Timesketch JSONL); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { timelineFiltersSchema } from './contract-logs.js';
import { caseRef, out } from './contract-kit.js';

export const timelineExportFormats = ['csv', 'jsonl-timesketch'] as const;
export type TimelineExportFormat = (typeof timelineExportFormats)[number];

/** A written timeline export: where it is, how big, its SHA-256 and how many events it holds. */
export interface TimelineExportResult {
  /** Relative to the case folder. */
  path: string;
  absolutePath: string;
  size: number;
  sha256: string;
  rows: number;
}

export const timelineExportChannels = {
  'timeline.export': {
    input: z.object({
      ...caseRef,
      filters: timelineFiltersSchema.default({}),
      format: z.enum(timelineExportFormats),
    }),
    output: out<TimelineExportResult>(),
  },
} as const;
