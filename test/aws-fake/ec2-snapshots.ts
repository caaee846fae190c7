/** Snapshot sharing, re-encrypted copies and snapshot locks. */
import { createHash } from 'node:crypto';
import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import { applyFilters, getSnapshot } from './ec2-lookup.js';
import type { Snapshot, SnapshotLock } from './model.js';
import { boolParam, intParam, listParam, required, structIndexes, tagSpecifications } from './query-params.js';
import type { FakeState } from './state.js';
import { el, fields, itemList, tagSet } from './xml.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The ARN of an account's AWS managed EBS key (alias aws/ebs) in a region; registered as AWS managed. */
export function defaultEbsKeyArn(state: FakeState, accountId: string, region: string): string {
  const h = createHash('sha256').update(`aws/ebs:${accountId}:${region}`).digest('hex');
  const arn = `arn:aws:kms:${region}:${accountId}:key/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  state.awsManagedKeys.add(arn);
  return arn;
}

function keyArn(ctx: RequestContext, keyId: string): string {
  if (keyId === 'alias/aws/ebs') return defaultEbsKeyArn(ctx.state, ctx.identity.accountId, ctx.region);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(keyId)) {
    return `arn:aws:kms:${ctx.region}:${ctx.identity.accountId}:key/${keyId}`;
  }
  return keyId;
}

/** ModifySnapshotAttribute: share (createVolumePermission add/remove). */
export function modifySnapshotAttribute(ctx: RequestContext): string {
  const p = ctx.params;
  const snap = getSnapshot(ctx, required(p, 'SnapshotId'), true);
  const attribute = p.Attribute ?? 'createVolumePermission';
  if (attribute !== 'createVolumePermission') {
    throw AwsError.ec2('InvalidParameterValue', `Value (${attribute}) for parameter attribute is invalid.`);
  }
  const add: string[] = [];
  const remove: string[] = [];
  const legacy = [...listParam(p, 'UserId'), ...listParam(p, 'UserGroup')];
  if (p.OperationType === 'remove') remove.push(...legacy);
  else if (legacy.length > 0) {
    if (p.OperationType !== 'add') throw AwsError.ec2('MissingParameter', 'The request must contain the parameter operationType');
    add.push(...legacy);
  }
  for (const [list, prefix] of [[add, 'CreateVolumePermission.Add'], [remove, 'CreateVolumePermission.Remove']] as const) {
    for (const i of structIndexes(p, prefix)) list.push(p[`${prefix}.${i}.UserId`] ?? p[`${prefix}.${i}.Group`] ?? '');
  }
  if (add.length + remove.length === 0) throw AwsError.ec2('MissingParameter', 'No permission to add or remove was given.');
  for (const who of add) {
    if (who !== 'all' && !/^\d{12}$/.test(who)) throw AwsError.ec2('InvalidParameterValue', `Invalid user id: "${who}"`);
  }
  if (add.length > 0 && snap.encrypted) {
    if (snap.kmsKeyId && ctx.state.awsManagedKeys.has(snap.kmsKeyId)) {
      throw AwsError.ec2('OperationNotPermitted', 'Encrypted snapshots with EBS default key cannot be shared');
    }
    if (add.includes('all')) throw AwsError.ec2('OperationNotPermitted', 'Encrypted snapshots cannot be made public');
  }
  for (const who of add) snap.createVolumePermission.add(who);
  for (const who of remove) snap.createVolumePermission.delete(who);
  return el('return', true);
}

/** CopySnapshot: into the caller's account and the request's region, optionally re-encrypted. */
export function copySnapshot(ctx: RequestContext): string {
  const p = ctx.params;
  const sourceRegion = required(p, 'SourceRegion');
  const source = getSnapshot({ ...ctx, region: sourceRegion }, required(p, 'SourceSnapshotId'));
  if (source.state !== 'completed') {
    throw AwsError.ec2('IncorrectState', `Snapshot is in invalid state - ${source.state}`);
  }
  const encryptedParam = boolParam(p, 'Encrypted') ?? false;
  if (p.KmsKeyId && !encryptedParam) {
    throw AwsError.ec2('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.');
  }
  const encrypted = source.encrypted || encryptedParam;
  let kmsKeyId: string | undefined;
  if (p.KmsKeyId) kmsKeyId = keyArn(ctx, p.KmsKeyId);
  else if (source.encrypted && source.ownerId === ctx.identity.accountId && sourceRegion === ctx.region) kmsKeyId = source.kmsKeyId;
  else if (encrypted) kmsKeyId = defaultEbsKeyArn(ctx.state, ctx.identity.accountId, ctx.region);
  const copy = ctx.state.createSnapshot({
    ownerId: ctx.identity.accountId,
    region: ctx.region,
    // AWS gives copies this placeholder volume id: the copy has no source volume in this account.
    volumeId: 'vol-ffffffff',
    volumeSizeGiB: source.volumeSizeGiB,
    description: p.Description ?? `[Copied ${source.snapshotId} from ${sourceRegion}]`,
    encrypted,
    kmsKeyId,
    tags: tagSpecifications(p, 'snapshot'),
    content: source.content,
  });
  return el('snapshotId', copy.snapshotId) + (copy.tags.length > 0 ? tagSet(copy.tags) : '');
}

function lockState(state: FakeState, lock: SnapshotLock): string {
  const now = state.now();
  if (now >= lock.expiresOn.getTime()) return 'expired';
  if (lock.mode === 'governance') return 'governance';
  if (lock.coolOffHours && now < lock.createdOn.getTime() + lock.coolOffHours * HOUR) return 'compliance-cooloff';
  return 'compliance';
}

function lockFields(state: FakeState, lock: SnapshotLock): string {
  const coolOffEnds = lock.coolOffHours ? new Date(lock.createdOn.getTime() + lock.coolOffHours * HOUR) : undefined;
  return fields({
    lockState: lockState(state, lock),
    lockDuration: lock.lockDurationDays,
    coolOffPeriod: lock.coolOffHours,
    coolOffPeriodExpiresOn: coolOffEnds,
    lockCreatedOn: lock.createdOn,
    lockExpiresOn: lock.expiresOn,
    lockDurationStartTime: lock.durationStart,
  });
}

/** LockSnapshot: governance or compliance mode, for a duration in days or until a date. */
export function lockSnapshot(ctx: RequestContext): string {
  const p = ctx.params;
  const snap = getSnapshot(ctx, required(p, 'SnapshotId'), true);
  const mode = required(p, 'LockMode');
  if (mode !== 'compliance' && mode !== 'governance') {
    throw AwsError.ec2('InvalidParameterValue', `Value (${mode}) for parameter lockMode is invalid. Expected: 'compliance' or 'governance'.`);
  }
  const days = intParam(p, 'LockDuration');
  const coolOff = intParam(p, 'CoolOffPeriod');
  const until = p.ExpirationDate ? new Date(p.ExpirationDate) : undefined;
  if ((days === undefined) === (until === undefined)) {
    throw AwsError.ec2('InvalidParameterCombination', 'Specify either LockDuration or ExpirationDate, but not both.');
  }
  if (days !== undefined && (days < 1 || days > 36500)) throw AwsError.ec2('InvalidParameterValue', 'LockDuration must be between 1 and 36500 days.');
  if (coolOff !== undefined && (mode !== 'compliance' || coolOff < 1 || coolOff > 72)) {
    throw AwsError.ec2('InvalidParameterValue', 'CoolOffPeriod applies to compliance mode only and must be between 1 and 72 hours.');
  }
  const now = ctx.state.now();
  const expiresOn = until ?? new Date(now + days! * DAY);
  const current = snap.lock;
  if (current && lockState(ctx.state, current) === 'compliance' && (mode !== 'compliance' || expiresOn < current.expiresOn)) {
    throw AwsError.ec2('IncorrectState', `The snapshot '${snap.snapshotId}' is locked in compliance mode; its lock can only be extended.`);
  }
  snap.lock = { mode, lockDurationDays: days, coolOffHours: coolOff, createdOn: new Date(now), durationStart: new Date(now), expiresOn };
  return el('snapshotId', snap.snapshotId) + lockFields(ctx.state, snap.lock);
}

/** DescribeLockedSnapshots. */
export function describeLockedSnapshots(ctx: RequestContext): string {
  const ids = listParam(ctx.params, 'SnapshotId');
  for (const id of ids) getSnapshot(ctx, id, true);
  const locked = [...ctx.state.snapshots.values()]
    .filter((s): s is Snapshot & { lock: SnapshotLock } => Boolean(s.lock))
    .filter((s) => s.ownerId === ctx.identity.accountId && s.region === ctx.region)
    .filter((s) => ids.length === 0 || ids.includes(s.snapshotId));
  const filtered = applyFilters(ctx.params, locked, { 'lock-state': (s) => [lockState(ctx.state, s.lock)] });
  return itemList('snapshotSet', filtered, (s) => fields({ ownerId: s.ownerId, snapshotId: s.snapshotId }) + lockFields(ctx.state, s.lock));
}
