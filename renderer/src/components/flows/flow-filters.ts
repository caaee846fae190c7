/** The Flows filter form as typed and its conversion to the contract's flow filters (UTC). Pure. */
import type { FlowFilters } from '../../../../shared/contract-flows.js';
import { readTimeRange } from '../../lib/wall-time.js';

/** What the form holds; times are wall-clock in the case's zone. */
export interface FlowDraft {
  from: string;
  to: string;
  address: string;
  port: string;
  /** A protocol name (TCP, UDP, ICMP) or number. */
  protocol: string;
  action: '' | 'ACCEPT' | 'REJECT';
  interfaceId: string;
  /** Only flows whose source or destination made CloudTrail calls. */
  touchingCloudTrail: boolean;
}

export const emptyFlowDraft: FlowDraft = { from: '', to: '', address: '', port: '', protocol: '', action: '', interfaceId: '', touchingCloudTrail: false };

const PROTOCOLS: Record<string, number> = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 };

export interface FlowConverted {
  filters: FlowFilters;
  problems: Partial<Record<keyof FlowDraft, string>>;
}

function intIn(text: string, max: number): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= max ? n : null;
}

/** Builds the query's filters; problems name fields that could not be read (nothing is applied then). */
export function flowDraftToFilters(draft: FlowDraft, timeZone: string): FlowConverted {
  const time = readTimeRange(draft, timeZone);
  const filters: FlowFilters = { ...time.range };
  const problems: FlowConverted['problems'] = { ...time.problems };
  if (draft.address.trim()) filters.address = draft.address.trim();
  if (draft.port.trim()) {
    const port = intIn(draft.port.trim(), 65535);
    if (port === null) problems.port = 'A port is 0 to 65535';
    else filters.port = port;
  }
  const proto = draft.protocol.trim();
  if (proto) {
    const n = PROTOCOLS[proto.toUpperCase()] ?? intIn(proto, 255);
    if (n === null || n === undefined) problems.protocol = 'TCP, UDP, ICMP or a number 0 to 255';
    else filters.protocol = n;
  }
  if (draft.action) filters.action = draft.action;
  if (draft.interfaceId.trim()) filters.interfaceId = draft.interfaceId.trim();
  return { filters, problems };
}
