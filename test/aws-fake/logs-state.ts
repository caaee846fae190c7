/**
 * State of the fake's log services: S3 buckets with objects and metadata, CloudTrail's 90-day event
 * history and public keys, and CloudWatch Logs groups. Kept beside FakeState (one per fake) so the
 * EC2/EBS state stays as it was; reach it with `logServices(fake.state)` or `fake.logs`.
 */
import { createHash } from 'node:crypto';
import type { FakeState } from './state.js';

/** One S3 object as the fake holds it. */
export interface S3Object {
  key: string;
  body: Buffer;
  /** Quoted, as S3 sends it: `"<md5 hex>"` for a single-part upload. */
  etag: string;
  lastModified: Date;
  contentType: string;
  /** x-amz-meta-* values by lower-case name without the prefix. */
  metadata: Record<string, string>;
  versionId?: string;
}

/** A CloudTrail event in the event history (LookupEvents). */
export interface TrailEvent {
  record: Record<string, unknown>;
  /** The region whose history holds it (LookupEvents is regional). */
  region: string;
  accountId: string;
}

/** A CloudTrail public key as ListPublicKeys returns it. */
export interface TrailPublicKey {
  /** DER, PKCS#1 RSAPublicKey. */
  der: Buffer;
  fingerprint: string;
  validityStart: Date;
  validityEnd: Date;
}

/** A CloudWatch Logs event. */
export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
}

/** The log services' state; limits are changeable while a test runs. */
export class LogServicesState {
  readonly buckets = new Map<string, Map<string, S3Object>>();
  readonly trailEvents: TrailEvent[] = [];
  readonly publicKeys: TrailPublicKey[] = [];
  readonly logGroups = new Map<string, LogEvent[]>();
  /** LookupEvents calls per second per account and region (AWS documents 2). */
  lookupEventsPerSecond = 2;
  /** Arrival times (epoch ms) of every LookupEvents request, accepted or throttled, by account/region. */
  readonly lookupArrivals = new Map<string, number[]>();
  /** Arrival times of the LookupEvents requests that were answered (not throttled). */
  readonly lookupAccepted = new Map<string, number[]>();
  /** Most events per FilterLogEvents page (AWS: up to 10,000 or 1 MB). */
  filterPageSize = 10_000;

  /** Stores an object (creating the bucket); returns it. */
  putObject(bucket: string, key: string, body: Buffer, opts: { metadata?: Record<string, string>; contentType?: string; versionId?: string; lastModified?: Date } = {}): S3Object {
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    const obj: S3Object = {
      key,
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: opts.lastModified ?? new Date(Math.floor(Date.now() / 1000) * 1000),
      contentType: opts.contentType ?? (key.endsWith('.gz') ? 'application/x-gzip' : 'application/octet-stream'),
      metadata: Object.fromEntries(Object.entries(opts.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      ...(opts.versionId ? { versionId: opts.versionId } : {}),
    };
    objects.set(key, obj);
    return obj;
  }

  /** Adds events to the event history of `region` (records shaped as CloudTrail delivers them). */
  addTrailEvents(region: string, accountId: string, records: Record<string, unknown>[]): void {
    for (const record of records) this.trailEvents.push({ record, region, accountId });
  }

  /** Adds a public key to ListPublicKeys' answers. */
  addPublicKey(der: Buffer, validityStart: Date, validityEnd: Date, fingerprint?: string): void {
    this.publicKeys.push({ der, fingerprint: fingerprint ?? createHash('md5').update(der).digest('hex'), validityStart, validityEnd });
  }

  /** Appends events to a log group (created on first use). */
  putLogEvents(group: string, events: LogEvent[]): void {
    const list = this.logGroups.get(group) ?? [];
    list.push(...events);
    this.logGroups.set(group, list);
  }

  /** The highest number of LookupEvents requests that arrived within any one second, over all accounts/regions. */
  maxLookupsPerSecond(): number {
    let max = 0;
    for (const times of this.lookupArrivals.values()) {
      for (let i = 0, j = 0; j < times.length; j++) {
        while (times[j]! - times[i]! >= 1000) i++;
        max = Math.max(max, j - i + 1);
      }
    }
    return max;
  }
}

const byState = new WeakMap<FakeState, LogServicesState>();

/** The log services' state of one fake. */
export function logServices(state: FakeState): LogServicesState {
  let s = byState.get(state);
  if (!s) {
    s = new LogServicesState();
    byState.set(state, s);
  }
  return s;
}
