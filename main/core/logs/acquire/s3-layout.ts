/**
 * Which S3 keys an acquisition wants. CloudTrail and VPC flow logs deliver under day folders
 * (`[prefix/]AWSLogs/[o-org/]<account>/<CloudTrail|CloudTrail-Digest|vpcflowlogs>/<region>/YYYY/MM/DD/`),
 * and name each file with its delivery (or digest end) time, so one listing per day and a filter on
 * the file name's time select a range without reading any object.
 */
import { compactToIso } from '../cloudtrail/s3-keys.js';
import { parseDigestKey, parseLogKey } from '../cloudtrail/index.js';

/** What an S3 acquisition takes: CloudTrail logs with their digests, or VPC flow logs. */
export type S3LogKind = 'cloudtrail' | 'vpcflowlogs';
/** The kind of one acquired file. */
export type S3FileKind = 'cloudtrail-log' | 'cloudtrail-digest' | 'vpc-flow-log';

/** Where to look. */
export interface LayoutQuery {
  prefix: string;
  orgId: string | null;
  accounts: string[];
  regions: string[];
  kind: S3LogKind;
  /** Inclusive start and exclusive end, ISO UTC. */
  from: string;
  to: string;
}

const HOUR = 3_600_000;
// CloudTrail delivers a log about 5–15 minutes after its events and a digest about an hour after
// the hour it covers, so the folders and names searched reach that far past the range's end.
const LOG_SLACK = HOUR;
const DIGEST_SLACK = 2 * HOUR;

const FLOW_KEY = /^(?:.*\/)?AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/vpcflowlogs\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_vpcflowlogs_[a-z0-9-]+_[A-Za-z0-9-]+_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.log(\.gz)?$/;

function days(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(new Date(fromMs).getUTCFullYear(), new Date(fromMs).getUTCMonth(), new Date(fromMs).getUTCDate()));
  for (; d.getTime() < toMs; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10).replace(/-/g, '/'));
  return out;
}

/** The day-folder prefixes to list, each with the kind of file it holds. */
export function dayPrefixes(q: LayoutQuery): { prefix: string; fileKind: S3FileKind }[] {
  const root = `${q.prefix ? `${q.prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/${q.orgId ? `${q.orgId}/` : ''}`;
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const folders: [string, S3FileKind, number][] =
    q.kind === 'cloudtrail' ? [['CloudTrail', 'cloudtrail-log', LOG_SLACK], ['CloudTrail-Digest', 'cloudtrail-digest', DIGEST_SLACK]] : [['vpcflowlogs', 'vpc-flow-log', LOG_SLACK]];
  const out: { prefix: string; fileKind: S3FileKind }[] = [];
  for (const account of q.accounts) {
    for (const region of q.regions) {
      for (const [folder, fileKind, slack] of folders) {
        for (const day of days(from, to + slack)) out.push({ prefix: `${root}${account}/${folder}/${region}/${day}/`, fileKind });
      }
    }
  }
  return out;
}

/** The time a delivered file's name carries (log delivery, digest end, flow log window), or null if the name is not CloudTrail's or VPC's. */
export function keyTime(key: string, fileKind: S3FileKind): string | null {
  if (fileKind === 'cloudtrail-log') return parseLogKey(key)?.deliveredAt ?? null;
  if (fileKind === 'cloudtrail-digest') return parseDigestKey(key)?.endTime ?? null;
  const m = FLOW_KEY.exec(key);
  return m ? compactToIso(m[1]!) : null;
}

/** True when a listed key belongs to the acquisition: its kind's name layout and a time inside the (slackened) range. */
export function wanted(key: string, fileKind: S3FileKind, from: string, to: string): boolean {
  const t = keyTime(key, fileKind);
  if (t === null) return false;
  const ms = Date.parse(t);
  if (fileKind === 'cloudtrail-digest') return ms > Date.parse(from) && ms <= Date.parse(to) + DIGEST_SLACK;
  return ms >= Date.parse(from) && ms < Date.parse(to) + LOG_SLACK;
}
