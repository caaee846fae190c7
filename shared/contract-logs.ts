/** The contract's log and timeline operations (issue 4); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';
import type { TimelineEventDetail, TimelineFacets, TimelineHistogram, TimelinePage } from './types.js';

/** A UTC instant as the examiner gives it; a time without a zone would be a guess, so it is refused. */
const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'Time must be ISO-8601 with a zone, e.g. 2024-07-31T13:06:24Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a valid time');
const filterValues = z.array(z.string().max(2048)).min(1).max(200);

/** Most event ids one filter may name: a highlight rule's hits fit; past it the UI falls back to a time span. */
export const EVENT_IDS_CAP = 5000;

/** Timeline filters: every list is "any of"; different filters combine with AND. `from` is inclusive, `to` exclusive. */
export const timelineFiltersSchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    eventSource: filterValues.optional(),
    eventName: filterValues.optional(),
    identityArn: filterValues.optional(),
    accessKeyId: filterValues.optional(),
    sourceIp: filterValues.optional(),
    region: filterValues.optional(),
    accountId: filterValues.optional(),
    /** 'any': every event with an error code. */
    errorCode: z.union([z.literal('any'), filterValues]).optional(),
    readOnly: z.boolean().optional(),
    userAgentPrefix: z.string().min(1).max(1024).optional(),
    /** Full-text search over the raw record (a phrase); needs the logs.index job. */
    text: z.string().trim().min(1).max(500).optional(),
    /** Timeline event ids (CloudTrail eventID, or the `sha256:…` dedupe key): exactly these events. */
    eventIds: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(EVENT_IDS_CAP, `At most ${EVENT_IDS_CAP.toLocaleString('en-US')} event ids in one filter`)
      .optional(),
  })
  .strict();
export type TimelineFilters = z.output<typeof timelineFiltersSchema>;

export const timelineFacetFields = [
  'eventSource', 'eventName', 'identityArn', 'identityType', 'accessKeyId', 'sourceIp',
  'region', 'accountId', 'errorCode', 'readOnly', 'userAgent',
] as const;

export const logsChannels = {
  'logs.ingest': {
    input: z.object({ ...caseRef, artifactIds: z.array(id).min(1).max(10_000) }),
    output: out<{ jobId: string; indexJobId: string }>(),
  },
  'logs.index': { input: z.object(caseRef), output: out<{ jobId: string }>() },
  'timeline.query': {
    input: z.object({
      ...caseRef,
      filters: timelineFiltersSchema.default({}),
      cursor: z.string().min(1).max(200).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: out<TimelinePage>(),
  },
  'timeline.event': { input: z.object({ ...caseRef, eventId: z.string().min(1).max(200) }), output: out<TimelineEventDetail>() },
  'timeline.facets': {
    input: z.object({
      ...caseRef,
      filters: timelineFiltersSchema.default({}),
      field: z.enum(timelineFacetFields),
      limit: z.number().int().min(1).max(500).default(20),
    }),
    output: out<TimelineFacets>(),
  },
  'timeline.histogram': {
    input: z.object({ ...caseRef, filters: timelineFiltersSchema.default({}), buckets: z.number().int().min(1).max(2000).default(100) }),
    output: out<TimelineHistogram>(),
  },
} as const;
