/** Finding EC2 resources the caller may see, with EC2's own not-found/malformed errors, plus filters and paging. */
import type { RequestContext } from './context.js';
import { AwsError } from './errors.js';
import type { Instance, SecurityGroup, Snapshot, Tag, Volume } from './model.js';
import { anyMatch, filters, intParam, type Params } from './query-params.js';

/** Resources owned by the caller in the request's region. */
function owned<T extends { ownerId: string; region: string }>(ctx: RequestContext, all: Iterable<T>): T[] {
  return [...all].filter((r) => r.ownerId === ctx.identity.accountId && r.region === ctx.region);
}

/** The caller's instances in this region. */
export function visibleInstances(ctx: RequestContext): Instance[] {
  return owned(ctx, ctx.state.instances.values());
}

/** The caller's volumes in this region. */
export function visibleVolumes(ctx: RequestContext): Volume[] {
  return owned(ctx, ctx.state.volumes.values());
}

/** The caller's security groups in this region. */
export function visibleGroups(ctx: RequestContext): SecurityGroup[] {
  return owned(ctx, ctx.state.securityGroups.values());
}

/** Snapshots in this region the caller owns or may create volumes from (shared with it, or public). */
export function visibleSnapshots(ctx: RequestContext): Snapshot[] {
  const me = ctx.identity.accountId;
  return [...ctx.state.snapshots.values()]
    .filter((s) => s.region === ctx.region)
    .filter((s) => s.ownerId === me || s.createVolumePermission.has(me) || s.createVolumePermission.has('all'))
    .map((s) => ctx.state.refreshSnapshot(s));
}

function checkId(id: string, prefix: string, code: string): void {
  if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) throw AwsError.ec2(code, `Invalid id: "${id}"`);
}

/** One instance by id, or InvalidInstanceID.Malformed / .NotFound. */
export function getInstance(ctx: RequestContext, id: string): Instance {
  checkId(id, 'i', 'InvalidInstanceID.Malformed');
  const inst = visibleInstances(ctx).find((i) => i.instanceId === id);
  if (!inst) throw AwsError.ec2('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
  return inst;
}

/** One volume by id, or InvalidVolumeID.Malformed / InvalidVolume.NotFound. */
export function getVolume(ctx: RequestContext, id: string): Volume {
  checkId(id, 'vol', 'InvalidVolumeID.Malformed');
  const vol = visibleVolumes(ctx).find((v) => v.volumeId === id);
  if (!vol) throw AwsError.ec2('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  return vol;
}

/** One snapshot the caller can see; `owner` demands that the caller owns it (modifications). */
export function getSnapshot(ctx: RequestContext, id: string, owner = false): Snapshot {
  checkId(id, 'snap', 'InvalidSnapshotID.Malformed');
  const snap = visibleSnapshots(ctx).find((s) => s.snapshotId === id);
  if (!snap || (owner && snap.ownerId !== ctx.identity.accountId)) {
    throw AwsError.ec2('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  }
  return snap;
}

/** One security group by id. */
export function getGroup(ctx: RequestContext, id: string): SecurityGroup {
  checkId(id, 'sg', 'InvalidGroupId.Malformed');
  const group = visibleGroups(ctx).find((g) => g.groupId === id);
  if (!group) throw AwsError.ec2('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
  return group;
}

/** Values a resource exposes to one filter name. */
export type FilterTable<T> = Record<string, (item: T) => (string | undefined)[]>;

/** Applies `Filter.N` to items; tag:Key, tag-key and tag-value work for any tagged item. */
export function applyFilters<T extends { tags: Tag[] }>(params: Params, items: T[], table: FilterTable<T>): T[] {
  let out = items;
  for (const f of filters(params)) {
    if (f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      out = out.filter((i) => anyMatch(f.values, i.tags.filter((t) => t.key === key).map((t) => t.value)));
    } else if (f.name === 'tag-key') {
      out = out.filter((i) => anyMatch(f.values, i.tags.map((t) => t.key)));
    } else if (f.name === 'tag-value') {
      out = out.filter((i) => anyMatch(f.values, i.tags.map((t) => t.value)));
    } else {
      const get = table[f.name];
      if (!get) throw AwsError.ec2('InvalidParameterValue', `The filter '${f.name}' is invalid`);
      out = out.filter((i) => anyMatch(f.values, get(i)));
    }
  }
  return out;
}

/**
 * MaxResults/NextToken paging over a list; the token is opaque to clients. Above the action's
 * maximum EC2 returns the maximum (the AWS CLI always asks for 1000); below the minimum it refuses.
 */
export function paginate<T>(params: Params, items: T[], bounds: { min: number; max: number }): { page: T[]; nextToken?: string } {
  const asked = intParam(params, 'MaxResults');
  if (asked === undefined) return { page: items };
  if (asked < bounds.min) {
    throw AwsError.ec2('InvalidParameterValue', `Value ( ${asked} ) for parameter maxResults is invalid. Expecting a value greater than ${bounds.min - 1}.`);
  }
  const max = Math.min(asked, bounds.max);
  let start = 0;
  if (params.NextToken) {
    start = Number(Buffer.from(params.NextToken, 'base64').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(start) || start < 0) throw AwsError.ec2('InvalidPaginationToken', `Invalid pagination token: ${params.NextToken}`);
  }
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(`offset:${start + max}`).toString('base64') : undefined;
  return { page, nextToken: next };
}
