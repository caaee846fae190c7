/** The contract's VPC flow log operations (issue 4, item 6); merged into `channels` in contract.ts. */
import { z } from 'zod';
import { caseRef, id, out } from './contract-kit.js';

const instant = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, 'Time must be ISO-8601 with a zone, e.g. 2024-07-31T13:06:24Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'Not a valid time');

/** Flow filters, combined with AND. Time is the record's start: `from` inclusive, `to` exclusive. */
export const flowFiltersSchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    /** Matches the source or the destination address. */
    address: z.string().min(1).max(100).optional(),
    /** Matches the source or the destination port. */
    port: z.number().int().min(0).max(65535).optional(),
    /** IANA protocol number (6 TCP, 17 UDP, 1 ICMP). */
    protocol: z.number().int().min(0).max(255).optional(),
    action: z.enum(['ACCEPT', 'REJECT']).optional(),
    interfaceId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type FlowFilters = z.output<typeof flowFiltersSchema>;

/** A parsed flow log record: the fields of flow_records that come from the file line. */
export interface FlowRecord {
  startTime: string;
  endTime: string | null;
  version: number | null;
  accountId: string | null;
  interfaceId: string | null;
  srcaddr: string | null;
  dstaddr: string | null;
  srcport: number | null;
  dstport: number | null;
  protocol: number | null;
  protocolName: string | null;
  packets: number | null;
  bytes: number | null;
  action: 'ACCEPT' | 'REJECT' | null;
  logStatus: 'OK' | 'NODATA' | 'SKIPDATA' | null;
  vpcId: string | null;
  subnetId: string | null;
  instanceId: string | null;
  flowDirection: string | null;
  extra: Record<string, string | null>;
}

/** One stored flow log record and the file line it came from. */
export interface FlowRow extends FlowRecord {
  id: number;
  source: { artifactId: string; sha256: string; line: number };
}

export interface FlowPage {
  flows: FlowRow[];
  nextCursor: string | null;
  /** Matching records, first page only (null on later pages), counted up to `totalCapped`. */
  total: number | null;
  totalCapped: boolean;
}

/** A flow whose source or destination address made CloudTrail calls. */
export interface FlowTouchingRow extends FlowRow {
  matchedAddress: string;
  cloudTrailEvents: number;
}

export interface FlowTouchingPage {
  flows: FlowTouchingRow[];
  nextCursor: string | null;
  /** Every address seen on both sides (first page only), with its CloudTrail event count and matching flows. */
  addresses: { address: string; cloudTrailEvents: number; flows: number }[] | null;
}

const page = {
  filters: flowFiltersSchema.default({}),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
};

export const flowsChannels = {
  'flows.ingest': {
    input: z.object({ ...caseRef, artifactIds: z.array(id).min(1).max(10_000) }),
    output: out<{ jobId: string }>(),
  },
  'flows.query': { input: z.object({ ...caseRef, ...page }), output: out<FlowPage>() },
  'flows.touchingCloudTrail': { input: z.object({ ...caseRef, ...page }), output: out<FlowTouchingPage>() },
} as const;
