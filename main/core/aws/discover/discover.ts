/**
 * Read-only inventory of instances, volumes and snapshots in the connection's regions, through the
 * SDK paginators up to a cap per kind and region. One custody event per call records what was asked,
 * how much came back and the request ids — not the listing itself.
 */
import {
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import type { AwsDiscoverKind, AwsDiscovery, AwsListing, AwsRegionDiscovery } from '../../../../shared/contract-aws.js';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent, nowUtc } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../connect/aws-errors.js';
import { checkRegion, ec2Client, getConnection, type LiveConnection } from '../connect/connections.js';
import { instanceSummary, matchesText, snapshotSummary, volumeSummary } from './shapes.js';

/** What the examiner asked for. */
export interface DiscoverRequest {
  caseId: string;
  connectionId: string;
  regions?: string[];
  kinds: AwsDiscoverKind[];
  filter?: { text?: string; tag?: { key: string; value?: string } };
  limit: number;
  /** Page size asked of EC2 (tests use small pages to prove paging). */
  pageSize?: number;
}

interface Page<T> {
  items: T[];
  requestId?: string;
  /** EC2 gave a NextToken: another page exists. */
  more: boolean;
}

/** Walks pages until the cap of matching items is reached; `truncated` when anything was left unread or unkept. */
async function collect<T>(pages: AsyncIterable<Page<T>>, keep: (t: T) => boolean, limit: number, requestIds: string[]): Promise<AwsListing<T>> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count += 1;
    if (page.requestId) requestIds.push(page.requestId);
    const matching = page.items.filter(keep);
    const room = limit - items.length;
    items.push(...matching.slice(0, room));
    // Stop asking AWS for pages once the cap is full; the NextToken says whether more existed.
    if (items.length >= limit) return { items, truncated: matching.length > room || page.more, pages: count };
  }
  return { items, truncated: false, pages: count };
}

function tagFilters(tag: { key: string; value?: string } | undefined): Filter[] {
  if (!tag) return [];
  return tag.value === undefined ? [{ Name: 'tag-key', Values: [tag.key] }] : [{ Name: `tag:${tag.key}`, Values: [tag.value] }];
}

async function listKind(ec2: EC2Client, kind: AwsDiscoverKind, req: DiscoverRequest, requestIds: string[]) {
  const Filters = tagFilters(req.filter?.tag);
  const text = req.filter?.text;
  // A small cap needs no 1000-item pages; EC2 refuses fewer than 5 per page.
  const size = (max: number) => req.pageSize ?? Math.min(max, Math.max(5, req.limit));
  const base = { client: ec2 };
  switch (kind) {
    case 'instances': {
      const pages = mapPages(paginateDescribeInstances({ ...base, pageSize: size(1000) }, { Filters }), (o) =>
        (o.Reservations ?? []).flatMap((r) => r.Instances ?? []).map(instanceSummary),
      );
      return collect(pages, (i) => matchesText(i, text), req.limit, requestIds);
    }
    case 'volumes': {
      const pages = mapPages(paginateDescribeVolumes({ ...base, pageSize: size(500) }, { Filters }), (o) => (o.Volumes ?? []).map(volumeSummary));
      return collect(pages, (v) => matchesText(v, text), req.limit, requestIds);
    }
    case 'snapshots': {
      // Owned by the account only: public and shared snapshots are not this account's evidence.
      const pages = mapPages(paginateDescribeSnapshots({ ...base, pageSize: size(1000) }, { OwnerIds: ['self'], Filters }), (o) =>
        (o.Snapshots ?? []).map(snapshotSummary),
      );
      return collect(pages, (s) => matchesText(s, text), req.limit, requestIds);
    }
  }
}

async function* mapPages<O extends { $metadata: { requestId?: string }; NextToken?: string }, T>(pages: AsyncIterable<O>, map: (o: O) => T[]): AsyncIterable<Page<T>> {
  for await (const o of pages) yield { items: map(o), requestId: o.$metadata.requestId, more: Boolean(o.NextToken) };
}

async function discoverRegion(conn: LiveConnection, region: string, req: DiscoverRequest, requestIds: string[]): Promise<AwsRegionDiscovery> {
  const ec2 = ec2Client(conn, region);
  const out: AwsRegionDiscovery = { region, errors: [] };
  try {
    for (const kind of req.kinds) {
      try {
        const listing = await listKind(ec2, kind, req, requestIds);
        (out as unknown as Record<string, unknown>)[kind] = listing;
      } catch (err) {
        const e = mapAwsError(err, `EC2 Describe ${kind} in ${region}`, { endpoint: conn.info.endpoint });
        // Without working credentials or network every other call fails the same way: say it once.
        if (e.code === 'AWS_CREDENTIALS' || e.code === 'AWS_UNREACHABLE') throw e;
        out.errors.push({ kind, code: e.code, message: e.message });
      }
    }
  } finally {
    ec2.destroy();
  }
  return out;
}

/** Discovers, records 'aws.discovered', and returns the listings per region. */
export async function discover(ws: Workstation, req: DiscoverRequest): Promise<AwsDiscovery> {
  const actor = ws.actor();
  const conn = getConnection(ws, req.caseId, req.connectionId);
  const regions = [...new Set(req.regions ?? conn.info.regions)];
  for (const r of regions) checkRegion(conn, r);
  if (req.kinds.length === 0) throw new AppError('INVALID_INPUT', 'Choose at least one kind to discover');
  const kinds = [...new Set(req.kinds)];
  const requestIds: string[] = [];
  const results: AwsRegionDiscovery[] = [];
  for (const region of regions) results.push(await discoverRegion(conn, region, { ...req, kinds }, requestIds));

  const counts = results.map((r) => ({
    region: r.region,
    ...Object.fromEntries(kinds.map((k) => [k, r[k] ? { count: r[k].items.length, truncated: r[k].truncated, pages: r[k].pages } : null])),
    errors: r.errors.map((e) => ({ kind: e.kind, code: e.code })),
  }));
  const { session } = ws.get(req.caseId);
  appendEvent(session.db, actor, {
    action: 'aws.discovered',
    details: {
      connectionId: conn.info.connectionId,
      account: conn.info.account,
      arn: conn.info.arn,
      regions,
      kinds,
      filter: req.filter ?? null,
      limit: req.limit,
      counts,
      requestIds,
    },
  });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return { account: conn.info.account, discoveredAt: nowUtc(), regions: results };
}
