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
} from './types.js';

import { caseRef, id, out, pathString, text } from './contract-kit.js';
import { logsChannels } from './contract-logs.js';
import { logsValidateChannels } from './contract-logs-validate.js';
import { awsChannels } from './contract-aws.js';
import { awsPreserveChannels } from './contract-aws-preserve.js';
import { awsShareChannels } from './contract-aws-share.js';
import { awsContextChannels } from './contract-aws-context.js';
import { imagesChannels } from './contract-images.js';
import { timelineChannels } from './contract-timeline.js';
import { flowsChannels } from './contract-flows.js';
import { highlightsChannels } from './contract-highlights.js';
import { timelineExportChannels } from './contract-timeline-export.js';
import { logsAcquireChannels } from './contract-logs-acquire.js';
import { imagesBodyfileChannels } from './contract-images-bodyfile.js';

export { timelineFacetFields, timelineFiltersSchema, type TimelineFilters } from './contract-logs.js';

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

const coreChannels = {
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

  'reports.exportCustody': {
    input: z.object({ ...caseRef, format: z.enum(['csv', 'json', 'pdf']) }),
    output: out<ExportResult>(),
  },
} as const;

/** Every channel: the core's and each capability's own map. */
export const channels = { ...coreChannels, ...logsChannels, ...logsValidateChannels, ...timelineChannels, ...imagesChannels, ...awsChannels, ...awsPreserveChannels, ...awsShareChannels, ...awsContextChannels, ...flowsChannels, ...highlightsChannels, ...timelineExportChannels, ...imagesBodyfileChannels, ...logsAcquireChannels } as const;

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
