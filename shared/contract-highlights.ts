/** The contract's highlights operation (built-in detection rules over the case's timeline); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { timelineFiltersSchema } from './contract-logs.js';
import { caseRef, out } from './contract-kit.js';

export const highlightSeverities = ['low', 'medium', 'high', 'critical'] as const;
export type HighlightSeverity = (typeof highlightSeverities)[number];

/** One flagged event: the rule that fired, its ATT&CK mapping and the event (its timeline event id). */
export interface TimelineHighlight {
  ruleId: string;
  title: string;
  severity: HighlightSeverity;
  mitre: { tactic: string; techniqueId: string; techniqueName: string }[];
  eventId: string;
  eventTime: string;
  summary: string;
  /** Aggregate rules: every event in the window that reached the threshold, oldest first. */
  relatedEventIds?: string[];
}

export interface TimelineHighlights {
  hits: TimelineHighlight[];
  rulesEvaluated: number;
  /** Events read before the scan ended (all matching events unless `truncated`). */
  eventsScanned: number;
  /** True when the scan stopped at `limit` hits; narrow the filters to see the rest. */
  truncated: boolean;
}

export const highlightsChannels = {
  'timeline.highlights': {
    input: z.object({
      ...caseRef,
      filters: timelineFiltersSchema.default({}),
      severityAtLeast: z.enum(highlightSeverities).optional(),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    output: out<TimelineHighlights>(),
  },
} as const;
