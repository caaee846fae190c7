/** Domain types shared by main and renderer. All times are UTC ISO-8601 with milliseconds and `Z`. */

export interface ExaminerProfile {
  name: string;
  organisation: string;
  badgeId?: string;
}

export interface CaseSummary {
  id: string;
  path: string;
  number: string;
  title: string;
  client: string;
  description: string;
  examiner: string;
  timeZone: string;
  createdAt: string;
  schemaVersion: number;
  artifactCount: number;
  eventCount: number;
  headHash: string;
}

/** A case the workstation has seen, from its own settings (not from the case). */
export interface RecentCase {
  id: string;
  path: string;
  number: string;
  title: string;
  lastOpenedAt: string;
  open: boolean;
  /** False when the folder is no longer where it was (external drive unplugged, moved). */
  reachable: boolean;
}

export type ArtifactState = 'pending' | 'complete' | 'failed' | 'discarded';
/** 'cloud': nothing is stored in the case; the artifact is a reference to an object in a cloud account. */
export type ArtifactStorage = 'copied' | 'in-place' | 'cloud';
/** 'file': bytes Caseward holds and hashes. 'cloud-ref': a cloud object (an EBS snapshot), no bytes, no hashes. */
export type ArtifactKind = 'file' | 'cloud-ref';

/** What a cloud-ref artifact points at (docs/aws.md, "Snapshots as artifacts"). */
export interface CloudRef {
  provider: 'aws';
  region: string;
  account: string;
  /** e.g. snap-0123… */
  resourceId: string;
  resourceType: 'ebs-snapshot';
  /** As recorded when sealed: volume, size, encryption/KMS key, start/completion times, copy source, … */
  metadata: Record<string, unknown>;
  /** The snapshot lock Caseward last recorded for it (custody event aws.snapshot-locked), if any. */
  lock: { mode: string; state: string; expiresOn: string | null; at: string } | null;
}
export type VerificationResult = 'match' | 'mismatch' | 'missing' | 'unreadable';

export interface Hashes {
  md5: string;
  sha1: string;
  sha256: string;
}

export interface Artifact {
  id: string;
  kind: ArtifactKind;
  state: ArtifactState;
  storage: ArtifactStorage;
  name: string;
  description: string;
  /** Where the examiner took it from. */
  sourcePath: string;
  /** Copied: relative to the case folder. In place: absolute path. */
  storedPath: string;
  size: number | null;
  hashes: Hashes | null;
  addedBy: string;
  addedAt: string;
  hashedAt: string | null;
  lastVerification: { result: VerificationResult; at: string; by: string } | null;
  /** Set for kind 'cloud-ref' only. */
  cloud: CloudRef | null;
  /** Evidence that is a set of files (segmented E01, split raw): each segment as its artifact.added event recorded it. */
  segments?: EvidenceSegment[];
}

/** One file of a segmented artifact, in order: its name (next to the first segment), size and hashes. */
export interface EvidenceSegment extends Hashes {
  name: string;
  size: number;
}

export interface CustodyEvent {
  seq: number;
  at: string;
  examiner: string;
  workstation: string;
  action: string;
  artifactId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type ChainProblem =
  | { kind: 'event'; seq: number; reason: string }
  | { kind: 'artifact'; artifactId: string; name: string; reason: string };

export interface ChainVerification {
  ok: boolean;
  eventCount: number;
  headSeq: number;
  headHash: string;
  /** The first event whose stored hash or link does not hold, if any. */
  firstBreak: { seq: number; reason: string } | null;
  problems: ChainProblem[];
}

export interface Note {
  id: string;
  artifactId: string | null;
  title: string;
  body: string;
  revision: number;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export interface NoteRevision {
  noteId: string;
  revision: number;
  title: string;
  body: string;
  author: string;
  at: string;
  sha256: string;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'discarded';
export type JobKind = 'evidence.add' | 'evidence.verify' | 'logs.ingest' | 'logs.index' | 'images.verify' | 'images.export' | 'aws.image' | 'aws.snapshot' | 'aws.context' | 'flows.ingest' | 'images.bodyfile' | 'timeline.add-bodyfile' | 'logs.acquire-s3' | 'logs.acquire-lookup' | 'flows.acquire-cwl';

/** One progress shape for every job (bytes and/or items), throttled before it is sent. */
export interface Progress {
  phase: string;
  bytesDone: number;
  bytesTotal: number | null;
  itemsDone: number;
  itemsTotal: number | null;
  /** Bytes per second over the recent window. */
  rate: number;
  etaSeconds: number | null;
  message: string;
}

export interface Job {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  artifactId: string | null;
  progress: Progress | null;
  error: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface VerifyOutcome {
  artifactId: string;
  name: string;
  result: VerificationResult;
  expected: Hashes | null;
  actual: Hashes | null;
  message: string;
}

export type ExportFormat = 'csv' | 'json' | 'pdf';

export interface ExportResult {
  format: ExportFormat;
  /** Relative to the case folder. */
  path: string;
  absolutePath: string;
  size: number;
  sha256: string;
  headSeq: number;
  headHash: string;
}

export interface AppInfo {
  version: string;
  workstation: string;
  door: 'electron' | 'browser' | 'cli';
  userDataDir: string;
  defaultCasesDir: string;
  nativeDialogs: boolean;
}

/** One CloudTrail event as a timeline row (no raw record). */
export interface TimelineEventSummary {
  /** Row id in the case database; with eventTime it is the pagination key. */
  id: number;
  /** The dedupe key: CloudTrail's eventID, or `sha256:<hex>` of the raw record when it had none. */
  eventId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string | null;
  accountId: string | null;
  identityType: string | null;
  identityArn: string | null;
  accessKeyId: string | null;
  actor: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  errorCode: string | null;
  readOnly: boolean | null;
}

/** How far full-text search reaches: events after `indexedThroughId` are not yet searchable. */
export interface TextIndexInfo {
  state: 'none' | 'partial' | 'complete';
  indexedThroughId: number;
  lastEventId: number;
}

export interface TimelinePage {
  events: TimelineEventSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** Matching events on the first page (no cursor), counted up to `totalCap`; null on later pages. */
  total: number | null;
  totalCapped: boolean;
  textIndex: TextIndexInfo;
}

/** One event in full: every stored field, the raw record and the log file it came from. */
export interface TimelineEventDetail extends TimelineEventSummary {
  principalId: string | null;
  userName: string | null;
  sessionIssuerArn: string | null;
  mfaAuthenticated: boolean | null;
  errorMessage: string | null;
  eventType: string | null;
  eventCategory: string | null;
  requestId: string | null;
  resources: string[];
  requestParameters: string | null;
  responseElements: string | null;
  additionalEventData: string | null;
  /** The record exactly as it was in the log file. */
  raw: string;
  source: { artifactId: string; name: string; sha256: string; offset: number };
}

export type TimelineFacetField =
  | 'eventSource' | 'eventName' | 'identityArn' | 'identityType' | 'accessKeyId' | 'sourceIp'
  | 'region' | 'accountId' | 'errorCode' | 'readOnly' | 'userAgent';

export interface TimelineFacets {
  field: TimelineFacetField;
  values: { value: string | boolean | null; count: number }[];
  /** Distinct values beyond the ones listed (0 when all are listed). */
  otherValues: number;
}

export interface TimelineHistogram {
  /** Bucket width in milliseconds; buckets start at `from` and are contiguous. */
  bucketMs: number;
  from: string | null;
  to: string | null;
  buckets: { start: string; count: number }[];
}
