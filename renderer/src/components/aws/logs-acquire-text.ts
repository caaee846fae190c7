/**
 * Plain-word helpers for the Acquire logs panel: time ranges typed in the case's zone, the S3 folders an
 * acquisition will list, and the results of the three acquisition jobs read back from `job.result`. Pure.
 */
import type { S3AcquireFileResult } from '../../../../shared/contract-logs-acquire.js';
import type { Job } from '../../../../shared/types.js';
import { wallTimeToUtc } from '../timeline/timeline-filters.js';

/** The log acquisition job kinds, with the words the acquisitions list shows for each. */
export const LOG_JOB_LABEL = {
  'logs.acquire-s3': 'Logs from S3',
  'logs.acquire-lookup': 'CloudTrail event history',
  'flows.acquire-cwl': 'VPC flow logs from CloudWatch Logs',
} as const satisfies Partial<Record<Job['kind'], string>>;

export type LogJobKind = keyof typeof LOG_JOB_LABEL;

/** True for the three log acquisition kinds. */
export function isLogJob(kind: Job['kind']): kind is LogJobKind {
  return kind in LOG_JOB_LABEL;
}

export interface RangeCheck {
  range: { from: string; to: string } | null;
  problems: { from?: string; to?: string };
}

/** Reads "YYYY-MM-DD HH:MM[:SS]" as wall-clock time in the case's zone into a UTC range; `from` must be before `to`. */
export function rangeFromWall(from: string, to: string, timeZone: string): RangeCheck {
  const problems: RangeCheck['problems'] = {};
  const f = from.trim() ? wallTimeToUtc(from, timeZone) : null;
  const t = to.trim() ? wallTimeToUtc(to, timeZone) : null;
  if (!from.trim()) problems.from = 'Required';
  else if (!f) problems.from = 'Use YYYY-MM-DD HH:MM[:SS]';
  if (!to.trim()) problems.to = 'Required';
  else if (!t) problems.to = 'Use YYYY-MM-DD HH:MM[:SS]';
  if (f && t && f >= t) problems.to = 'Must be after From';
  return { range: f && t && !problems.to ? { from: f, to: t } : null, problems };
}

const HOUR = 3_600_000;

function utcDays(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const d = new Date(fromMs);
  d.setUTCHours(0, 0, 0, 0);
  for (; d.getTime() < toMs; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10).replace(/-/g, '/'));
  return out;
}

export interface S3Query {
  bucket: string;
  prefix: string;
  orgId: string | null;
  accounts: string[];
  regions: string[];
  from: string;
  to: string;
  kind: 'cloudtrail' | 'vpcflowlogs';
}

/** "[prefix/]AWSLogs/[o-org/]", with the prefix as the job takes it (trimmed by the form, trailing slashes dropped). */
function keyRoot(q: Pick<S3Query, 'prefix' | 'orgId'>): string {
  const prefix = q.prefix.trim().replace(/\/+$/, '');
  return `${prefix ? `${prefix}/` : ''}AWSLogs/${q.orgId ? `${q.orgId}/` : ''}`;
}

/** The key layout the acquisition follows, with placeholders, e.g. "s3://b/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/". */
export function s3KeyTemplates(q: Pick<S3Query, 'bucket' | 'prefix' | 'orgId' | 'kind'>): string[] {
  const root = `s3://${q.bucket || '<bucket>'}/${keyRoot(q)}`;
  const folders = q.kind === 'cloudtrail' ? ['CloudTrail', 'CloudTrail-Digest'] : ['vpcflowlogs'];
  return folders.map((f) => `${root}<account>/${f}/<region>/YYYY/MM/DD/`);
}

/**
 * The day folders that will be listed: one per account, region, kind of file and UTC day, reaching 1 h
 * (logs) or 2 h (digests) past the end because CloudTrail delivers that late. Mirrors the job's own rule.
 */
export function s3DayFolders(q: S3Query): string[] {
  const root = keyRoot(q);
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const folders: [string, number][] = q.kind === 'cloudtrail' ? [['CloudTrail', HOUR], ['CloudTrail-Digest', 2 * HOUR]] : [['vpcflowlogs', HOUR]];
  const out: string[] = [];
  for (const account of q.accounts) {
    for (const region of q.regions) {
      for (const [folder, slack] of folders) for (const day of utcDays(from, to + slack)) out.push(`${root}${account}/${folder}/${region}/${day}/`);
    }
  }
  return out;
}

export interface S3Result {
  listed: number;
  acquired: number;
  skipped: number;
  failed: number;
  corrupt: number;
  bytes: number;
  publicKeysArtifactId: string | null;
  files: S3AcquireFileResult[];
  filesTruncated: boolean;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A logs.acquire-s3 job's result, or null when it has none (still running, or a resumed job that found its work sealed). */
export function s3ResultOf(job: Job): S3Result | null {
  const r = job.result;
  if (!r || typeof r.listed !== 'number') return null;
  return {
    listed: num(r.listed),
    acquired: num(r.acquired),
    skipped: num(r.skipped),
    failed: num(r.failed),
    corrupt: num(r.corrupt),
    bytes: num(r.bytes),
    publicKeysArtifactId: typeof r.publicKeysArtifactId === 'string' ? r.publicKeysArtifactId : null,
    files: Array.isArray(r.files) ? (r.files as S3AcquireFileResult[]) : [],
    filesTruncated: r.filesTruncated === true,
  };
}

/** A single-file acquisition's result (event history or CloudWatch Logs): the artifact and its counts. */
export function fileResultOf(job: Job): { artifactId: string | null; events: number | null; pages: number | null; throttles: number | null } {
  const r = job.result ?? {};
  const opt = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return { artifactId: typeof r.artifactId === 'string' ? r.artifactId : null, events: opt(r.events), pages: opt(r.pages), throttles: opt(r.throttles) };
}

/**
 * What the next steps can read: the CloudTrail log files and the flow log files held in the case after
 * the job (acquired now or already held with the same ETag). Corrupt files are left out: their gzip
 * does not inflate, so an ingest would only fail on them. Digests are not events.
 */
export function ingestTargets(files: readonly S3AcquireFileResult[]): { logs: string[]; flows: string[]; digests: number } {
  const usable = files.filter((f) => f.artifactId && (f.status === 'acquired' || f.status === 'skipped'));
  return {
    logs: usable.filter((f) => f.fileKind === 'cloudtrail-log').map((f) => f.artifactId!),
    flows: usable.filter((f) => f.fileKind === 'vpc-flow-log').map((f) => f.artifactId!),
    digests: usable.filter((f) => f.fileKind === 'cloudtrail-digest').length,
  };
}

/** "1 file" / "3 files". */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
