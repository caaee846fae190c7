/**
 * Fault injection, changeable while a test runs. A rule matches requests by service, action,
 * snapshot and block index, and hits the next `times` matching requests (every one if unset).
 * Also counts how often each block was requested, so tests can prove a block was re-fetched.
 */

/** What a fault does. */
export type FaultKind =
  | 'latency' // wait latencyMs before answering
  | 'throttle' // the service's throttling error
  | 'server-error' // 500 (or `status`, e.g. 503)
  | 'drop-connection' // destroy the socket before answering or half-way through the body
  | 'bad-checksum' // GetSnapshotBlock: body and x-amz-Checksum disagree
  | 'expire-token' // GetSnapshotBlock: the block token is refused as expired
  | 'short-page'; // ListSnapshotBlocks: return at most `limit` blocks per page

/** Which requests a rule applies to; unset fields match anything. */
export interface FaultMatch {
  service?: 'ec2' | 'ebs' | 'sts' | 'iam' | 's3' | 'cloudtrail' | 'logs';
  action?: string;
  snapshotId?: string;
  blockIndex?: number | readonly number[];
}

/** A fault rule. */
export interface FaultRule extends FaultMatch {
  kind: FaultKind;
  /** Number of matching requests to hit; unset = all of them. */
  times?: number;
  latencyMs?: number;
  /** Overrides the HTTP status of throttle/server-error (e.g. 429 or 503). */
  status?: number;
  /** Overrides the error code (e.g. 'RequestThrottledException'). */
  code?: string;
  /** bad-checksum: corrupt the data (default, checksum stays right) or send a wrong checksum. */
  corrupt?: 'data' | 'checksum';
  /** drop-connection: before any byte (default 'mid-body') or after half the body. */
  phase?: 'before-response' | 'mid-body';
  /** short-page: most blocks per ListSnapshotBlocks page. */
  limit?: number;
}

/** The request a fault is matched against. */
export interface RequestDescriptor {
  service: string;
  action: string;
  snapshotId?: string;
  blockIndex?: number;
}

interface ActiveRule extends FaultRule {
  id: number;
  hits: number;
}

/** The fault knobs of one fake (`fake.faults`). */
export class FaultController {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private readonly fetches = new Map<string, Map<number, number>>();

  /** Adds a rule; returns its id for `remove`/`hits`. */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, hits: 0 });
    return id;
  }

  /** Removes one rule. */
  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  /** Removes every rule (counters are kept; see `resetCounters`). */
  clear(): void {
    this.rules = [];
  }

  /** How many requests a rule has hit so far. */
  hits(id: number): number {
    return this.rules.find((r) => r.id === id)?.hits ?? 0;
  }

  /** Fixed latency for an action (e.g. 50 ms per GetSnapshotBlock). */
  latency(action: string, latencyMs: number, match: FaultMatch = {}): number {
    return this.add({ ...match, action, kind: 'latency', latencyMs });
  }

  /** Throttles matching requests (`times` of them, or all). */
  throttle(match: FaultMatch & { times?: number; status?: number; code?: string }): number {
    return this.add({ ...match, kind: 'throttle' });
  }

  /** Fails matching requests with a 5xx (500 unless `status`). */
  serverError(match: FaultMatch & { times?: number; status?: number; code?: string }): number {
    return this.add({ ...match, kind: 'server-error' });
  }

  /** Drops the connection of matching requests. */
  dropConnection(match: FaultMatch & { times?: number; phase?: 'before-response' | 'mid-body' }): number {
    return this.add({ ...match, kind: 'drop-connection' });
  }

  /** Serves a block whose checksum does not match its bytes, `times` times (unset = always). */
  badChecksum(blockIndex: number | readonly number[], opts: { times?: number; snapshotId?: string; corrupt?: 'data' | 'checksum' } = {}): number {
    return this.add({ ...opts, blockIndex, service: 'ebs', action: 'GetSnapshotBlock', kind: 'bad-checksum' });
  }

  /** Refuses block tokens as expired although their ExpiryTime has not passed. */
  expireToken(match: FaultMatch & { times?: number } = {}): number {
    return this.add({ ...match, service: 'ebs', action: 'GetSnapshotBlock', kind: 'expire-token' });
  }

  /** Makes ListSnapshotBlocks return at most `limit` blocks per page (AWS may return fewer than asked). */
  shortPages(limit: number, match: FaultMatch = {}): number {
    return this.add({ ...match, service: 'ebs', action: 'ListSnapshotBlocks', kind: 'short-page', limit });
  }

  /** Total injected latency for a request (latency rules add up). */
  latencyFor(req: RequestDescriptor): number {
    let total = 0;
    for (const rule of this.rules) {
      if (rule.kind === 'latency' && this.consume(rule, req)) total += rule.latencyMs ?? 0;
    }
    return total;
  }

  /** The first rule of one of `kinds` that matches and has hits left; consumes one hit. */
  take(req: RequestDescriptor, kinds: readonly FaultKind[]): FaultRule | undefined {
    return this.rules.find((rule) => kinds.includes(rule.kind) && this.consume(rule, req));
  }

  private consume(rule: ActiveRule, req: RequestDescriptor): boolean {
    if (!matches(rule, req)) return false;
    if (rule.times !== undefined && rule.hits >= rule.times) return false;
    rule.hits += 1;
    return true;
  }

  /** Records one GetSnapshotBlock request for a block (whatever its outcome). */
  recordFetch(snapshotId: string, blockIndex: number): void {
    const perSnap = this.fetches.get(snapshotId) ?? new Map<number, number>();
    perSnap.set(blockIndex, (perSnap.get(blockIndex) ?? 0) + 1);
    this.fetches.set(snapshotId, perSnap);
  }

  /** How many times a block was requested with GetSnapshotBlock. */
  blockFetchCount(snapshotId: string, blockIndex: number): number {
    return this.fetches.get(snapshotId)?.get(blockIndex) ?? 0;
  }

  /** Block index → request count for one snapshot. */
  blockFetchCounts(snapshotId: string): Map<number, number> {
    return new Map(this.fetches.get(snapshotId) ?? []);
  }

  /** Forgets the block counters. */
  resetCounters(): void {
    this.fetches.clear();
  }
}

function matches(rule: FaultMatch, req: RequestDescriptor): boolean {
  if (rule.service && rule.service !== req.service) return false;
  if (rule.action && rule.action !== req.action) return false;
  if (rule.snapshotId && rule.snapshotId !== req.snapshotId) return false;
  if (rule.blockIndex !== undefined) {
    if (req.blockIndex === undefined) return false;
    const wanted = typeof rule.blockIndex === 'number' ? [rule.blockIndex] : rule.blockIndex;
    if (!wanted.includes(req.blockIndex)) return false;
  }
  return true;
}
