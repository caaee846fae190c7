/**
 * Everything the fake knows: resources per account and region, identities, the permission map,
 * the call log and the clock. Tests reach it as `fake.state` to seed, inspect and steer.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BlockSource } from './block-source.js';
import { DEFAULT_IDENTITIES, VICTIM_ACCOUNT_ID, type FakeIdentity } from './credentials.js';
import type {
  CallRecord,
  Instance,
  InstanceProfile,
  ManagedPolicy,
  NetworkInterface,
  Role,
  SecurityGroup,
  Snapshot,
  Tag,
  Volume,
} from './model.js';

/** Per-action allow/deny, keyed `service:Action` (`ec2:CreateSnapshots`); `service:*` also works. */
export class ActionPolicy {
  private readonly rules = new Map<string, 'allow' | 'deny'>();

  /** Makes the actions fail with the service's access-denied error (and DryRun say so). */
  deny(...actions: string[]): void {
    for (const a of actions) this.rules.set(a, 'deny');
  }

  /** Re-allows actions (everything is allowed by default). */
  allow(...actions: string[]): void {
    for (const a of actions) this.rules.set(a, 'allow');
  }

  /** Back to allow-all. */
  reset(): void {
    this.rules.clear();
  }

  /** Whether `service:Action` is allowed. An exact rule wins over a `service:*` rule. */
  isAllowed(action: string): boolean {
    const exact = this.rules.get(action);
    if (exact) return exact === 'allow';
    return this.rules.get(`${action.split(':')[0]}:*`) !== 'deny';
  }
}

/** Options for `addSnapshotFromImage`. */
export interface ImageSnapshotOptions {
  snapshotId?: string;
  volumeSizeGiB?: number;
  state?: 'pending' | 'completed';
  /** Block indexes to list instead of scanning the image for non-zero blocks. */
  listedBlocks?: readonly number[];
  volumeId?: string;
  ownerId?: string;
  region?: string;
  description?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  tags?: Tag[];
}

/** The fake's mutable world. */
export class FakeState {
  readonly instances = new Map<string, Instance>();
  readonly volumes = new Map<string, Volume>();
  readonly snapshots = new Map<string, Snapshot>();
  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly networkInterfaces = new Map<string, NetworkInterface>();
  readonly roles = new Map<string, Role>();
  readonly instanceProfiles = new Map<string, InstanceProfile>();
  readonly managedPolicies = new Map<string, ManagedPolicy>();
  /** KMS key ARNs that are AWS managed (alias aws/ebs): snapshots under them cannot be shared. */
  readonly awsManagedKeys = new Set<string>();
  readonly identities = new Map<string, FakeIdentity>();
  readonly policy = new ActionPolicy();
  /** Every request in arrival order, including refused ones. */
  readonly calls: CallRecord[] = [];
  /** How long a new snapshot stays pending; null = until `completeSnapshot`/`setSnapshotProgress`. */
  snapshotCompletionMs: number | null;
  /** Lifetime of EBS block tokens (ListSnapshotBlocks ExpiryTime). */
  blockTokenTtlMs: number;
  /** Secret that makes block tokens unforgeable (a token for block 5 cannot fetch block 6). */
  readonly tokenSecret = randomBytes(32);
  private clockOffsetMs = 0;
  private readonly sources = new Set<BlockSource>();

  constructor(
    readonly defaultRegion: string,
    opts: { snapshotCompletionMs?: number | null; blockTokenTtlMs?: number } = {},
  ) {
    this.snapshotCompletionMs = opts.snapshotCompletionMs === undefined ? 1000 : opts.snapshotCompletionMs;
    this.blockTokenTtlMs = opts.blockTokenTtlMs ?? 60 * 60 * 1000;
    for (const id of DEFAULT_IDENTITIES) this.addIdentity(id);
  }

  /** The fake's clock (epoch ms): real time plus whatever `advanceClock` added. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the fake's clock forward (token expiry, snapshot progress). Signatures use real time. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Registers credentials the fake accepts. */
  addIdentity(identity: FakeIdentity): void {
    this.identities.set(identity.accessKeyId, identity);
  }

  /** A new AWS-style id: prefix, dash, 17 lower-case hex digits. */
  newId(prefix: string): string {
    return `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
  }

  /** Calls of one action (e.g. 'CreateSnapshots'), in order. */
  callsFor(action: string): CallRecord[] {
    return this.calls.filter((c) => c.action === action);
  }

  /** Creates a snapshot record (pending, completing by the configured rule) and stores it. */
  createSnapshot(init: Omit<Snapshot, 'state' | 'progress' | 'completeAtMs' | 'startTime' | 'createVolumePermission' | 'snapshotId'> & { snapshotId?: string }): Snapshot {
    const start = this.now();
    const snap: Snapshot = {
      ...init,
      snapshotId: init.snapshotId ?? this.newId('snap'),
      state: 'pending',
      progress: 0,
      startTime: new Date(start),
      completeAtMs: this.snapshotCompletionMs === null ? null : start + this.snapshotCompletionMs,
      createVolumePermission: new Set(),
    };
    // Not refreshed here: like AWS, the creating call always answers 'pending'.
    this.snapshots.set(snap.snapshotId, snap);
    return snap;
  }

  /** Serves a disk image file as a snapshot's content (read lazily; sparse regions unlisted). */
  addSnapshotFromImage(imagePath: string, opts: ImageSnapshotOptions = {}): Snapshot {
    const source = this.blockSource(imagePath, opts.volumeSizeGiB, opts.listedBlocks);
    const region = opts.region ?? this.defaultRegion;
    const snap = this.createSnapshot({
      snapshotId: opts.snapshotId,
      ownerId: opts.ownerId ?? VICTIM_ACCOUNT_ID,
      region,
      volumeId: opts.volumeId ?? this.newId('vol'),
      volumeSizeGiB: source.volumeSizeGiB,
      description: opts.description ?? `Caseward fake snapshot of ${imagePath.split('/').pop()}`,
      encrypted: opts.encrypted ?? false,
      kmsKeyId: opts.kmsKeyId,
      tags: opts.tags ?? [],
      content: source,
    });
    if ((opts.state ?? 'completed') === 'completed') this.completeSnapshot(snap.snapshotId);
    else snap.completeAtMs = null;
    return snap;
  }

  /** Makes future snapshots of the volume serve this image (CreateSnapshot(s) copies the reference). */
  setVolumeImage(volumeId: string, imagePath: string): void {
    const vol = this.volumes.get(volumeId);
    if (!vol) throw new Error(`no volume ${volumeId}`);
    const size = BlockSource.volumeSizeFor(fs.statSync(imagePath).size);
    if (size > vol.sizeGiB) throw new Error(`image ${imagePath} needs ${size} GiB; ${volumeId} has ${vol.sizeGiB} GiB`);
    vol.imagePath = imagePath;
  }

  /** A BlockSource for an image, tracked so `close()` releases its file handle. */
  blockSource(imagePath: string, volumeSizeGiB?: number, listed?: readonly number[]): BlockSource {
    const size = volumeSizeGiB ?? BlockSource.volumeSizeFor(fs.statSync(imagePath).size);
    const source = new BlockSource(imagePath, size, listed);
    this.sources.add(source);
    return source;
  }

  /** Brings a pending snapshot's progress up to date with the clock. */
  refreshSnapshot(snap: Snapshot): Snapshot {
    if (snap.state !== 'pending' || snap.completeAtMs === null) return snap;
    const now = this.now();
    if (now >= snap.completeAtMs) return this.finish(snap, new Date(snap.completeAtMs));
    const span = snap.completeAtMs - snap.startTime.getTime();
    snap.progress = Math.max(snap.progress, Math.min(99, Math.floor(((now - snap.startTime.getTime()) / span) * 100)));
    return snap;
  }

  /** Sets a pending snapshot's progress; 100 completes it. */
  setSnapshotProgress(snapshotId: string, percent: number): Snapshot {
    const snap = this.mustSnapshot(snapshotId);
    if (percent >= 100) return this.finish(snap, new Date(this.now()));
    snap.progress = Math.max(0, Math.floor(percent));
    return snap;
  }

  /** Completes a snapshot now. */
  completeSnapshot(snapshotId: string): Snapshot {
    return this.finish(this.mustSnapshot(snapshotId), new Date(this.now()));
  }

  /** Holds a snapshot in pending until a test moves it on. */
  holdSnapshot(snapshotId: string): Snapshot {
    const snap = this.mustSnapshot(snapshotId);
    snap.state = 'pending';
    snap.completeAtMs = null;
    snap.completionTime = undefined;
    if (snap.progress >= 100) snap.progress = 99;
    return snap;
  }

  private finish(snap: Snapshot, at: Date): Snapshot {
    snap.state = 'completed';
    snap.progress = 100;
    snap.completionTime = at;
    snap.completeAtMs = at.getTime();
    return snap;
  }

  private mustSnapshot(snapshotId: string): Snapshot {
    const snap = this.snapshots.get(snapshotId);
    if (!snap) throw new Error(`no snapshot ${snapshotId}`);
    return snap;
  }

  /** Finds a tagged resource of any type by id (CreateTags). */
  taggable(resourceId: string): { tags: Tag[] } | undefined {
    return (
      this.instances.get(resourceId) ??
      this.volumes.get(resourceId) ??
      this.snapshots.get(resourceId) ??
      this.securityGroups.get(resourceId) ??
      this.networkInterfaces.get(resourceId)
    );
  }

  /** Releases image file handles. */
  async close(): Promise<void> {
    await Promise.all([...this.sources].map((s) => s.close()));
  }
}
