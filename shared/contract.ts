/**
 * The contract: every operation once, as `domain.verb` → input schema and output type.
 * main/handlers.ts implements it; Electron IPC, the browser host and the CLI all call through it.
 */
import { z } from 'zod';
import { channelNames, type ChannelName } from './channel-names.js';
import type {
  AppInfo,
  Artifact,
  CaseSummary,
  ChainVerification,
  CustodyEvent,
  ExaminerProfile,
  ExportResult,
  Job,
  Note,
  NoteRevision,
  RecentCase,
  TimelineEventDetail,
  TimelineFacets,
  TimelineHistogram,
  TimelinePage,
} from './types.js';

/** Phantom marker carrying an output type through the channel map. */
function out<T>(): T {
  return undefined as unknown as T;
}

const id = z.string().min(1).max(100);
const caseRef = { caseId: id };
const text = (max: number) => z.string().max(max);
const pathString = z.string().min(1).max(4096);

export const examinerProfileSchema = z.object({
  name: z.string().trim().min(1, 'Name is required').max(200),
  organisation: z.string().trim().min(1, 'Organisation is required').max(200),
  badgeId: z.string().trim().max(100).optional(),
});

export const createCaseSchema = z.object({
  /** Folder to create; when omitted the case goes under the workstation's cases folder, named by number. */
  path: pathString.optional(),
  number: z.string().trim().min(1, 'Case number is required').max(100),
  title: z.string().trim().min(1, 'Title is required').max(300),
  client: text(300).default(''),
  description: text(10_000).default(''),
  timeZone: z.string().min(1).max(64).default('UTC'),
});

/** A UTC instant as the examiner gives it; a time without a zone would be a guess, so it is refused. */
const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'Time must be ISO-8601 with a zone, e.g. 2024-07-31T13:06:24Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a valid time');
const filterValues = z.array(z.string().max(2048)).min(1).max(200);

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
  })
  .strict();
export type TimelineFilters = z.output<typeof timelineFiltersSchema>;

export const timelineFacetFields = [
  'eventSource', 'eventName', 'identityArn', 'identityType', 'accessKeyId', 'sourceIp',
  'region', 'accountId', 'errorCode', 'readOnly', 'userAgent',
] as const;

export const channels = {
  'app.info': { input: z.object({}), output: out<AppInfo>() },
  'settings.getProfile': { input: z.object({}), output: out<ExaminerProfile | null>() },
  'settings.setProfile': { input: examinerProfileSchema, output: out<ExaminerProfile>() },

  'cases.create': { input: createCaseSchema, output: out<CaseSummary>() },
  'cases.open': { input: z.object({ path: pathString }), output: out<CaseSummary>() },
  'cases.close': { input: z.object(caseRef), output: out<null>() },
  'cases.list': { input: z.object({}), output: out<RecentCase[]>() },
  'cases.get': { input: z.object(caseRef), output: out<CaseSummary>() },

  'evidence.add': {
    input: z.object({
      ...caseRef,
      sourcePath: pathString,
      mode: z.enum(['copy', 'in-place']),
      description: text(10_000).default(''),
    }),
    output: out<{ jobId: string; artifactId: string }>(),
  },
  'evidence.list': { input: z.object(caseRef), output: out<Artifact[]>() },
  'evidence.get': { input: z.object({ ...caseRef, artifactId: id }), output: out<Artifact>() },
  'evidence.verify': {
    input: z.object({ ...caseRef, artifactIds: z.array(id).max(10_000).optional() }),
    output: out<{ jobId: string }>(),
  },

  'custody.list': {
    input: z.object({
      ...caseRef,
      artifactId: id.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: out<{ total: number; events: CustodyEvent[] }>(),
  },
  'custody.verifyChain': { input: z.object(caseRef), output: out<ChainVerification>() },

  'notes.list': {
    input: z.object({ ...caseRef, artifactId: id.optional() }),
    output: out<Note[]>(),
  },
  'notes.create': {
    input: z.object({
      ...caseRef,
      artifactId: id.optional(),
      title: z.string().trim().min(1, 'Title is required').max(300),
      body: text(1_000_000),
    }),
    output: out<Note>(),
  },
  'notes.revise': {
    input: z.object({
      ...caseRef,
      noteId: id,
      /** The revision the examiner edited; a newer one means someone else wrote in between. */
      baseRevision: z.number().int().min(1),
      title: z.string().trim().min(1).max(300),
      body: text(1_000_000),
    }),
    output: out<Note>(),
  },
  'notes.history': { input: z.object({ ...caseRef, noteId: id }), output: out<NoteRevision[]>() },

  'jobs.list': { input: z.object(caseRef), output: out<Job[]>() },
  'jobs.cancel': { input: z.object({ ...caseRef, jobId: id }), output: out<Job>() },
  'jobs.resume': { input: z.object({ ...caseRef, jobId: id }), output: out<Job>() },
  'jobs.discard': { input: z.object({ ...caseRef, jobId: id }), output: out<Job>() },

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

  'reports.exportCustody': {
    input: z.object({ ...caseRef, format: z.enum(['csv', 'json', 'pdf']) }),
    output: out<ExportResult>(),
  },
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
/** What a caller passes (defaults may be omitted). */
export type InputOf<C extends Channel> = z.input<Channels[C]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedInputOf<C extends Channel> = z.output<Channels[C]['input']>;
export type OutputOf<C extends Channel> = Channels[C]['output'];

export { channelNames };

// Compile-time proof that channel-names.ts lists exactly the channels above.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: Same<ChannelName, Channel> = true;
void namesMatch;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
