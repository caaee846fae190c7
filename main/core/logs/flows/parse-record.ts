/**
 * One VPC flow log record line → a typed record, given the file's header (the field names of its
 * format, default or custom). '-' means "no value" (NODATA and SKIPDATA records carry it in most
 * fields). Fields without a column of their own are kept in `extra`.
 */

import type { FlowRecord } from '../../../../shared/contract-flows.js';

/** A parsed record, as stored in flow_records (one definition, shared with FlowRow). */
export type { FlowRecord };

/** Why a line was not stored. */
export type FlowSkipCode = 'field-count' | 'bad-number' | 'bad-time' | 'no-start' | 'bad-action' | 'bad-status' | 'repeated-header' | 'too-long';

export class FlowLineError extends Error {
  constructor(readonly code: FlowSkipCode, message: string) {
    super(message);
  }
}

const TEXT_FIELDS = {
  'account-id': 'accountId', 'interface-id': 'interfaceId', srcaddr: 'srcaddr', dstaddr: 'dstaddr',
  'vpc-id': 'vpcId', 'subnet-id': 'subnetId', 'instance-id': 'instanceId', 'flow-direction': 'flowDirection',
} as const;
const INT_FIELDS = { version: 'version', srcport: 'srcport', dstport: 'dstport', protocol: 'protocol', packets: 'packets', bytes: 'bytes' } as const;
const INT_MAX: Record<string, number> = { srcport: 65535, dstport: 65535, protocol: 255 };
const OTHER_COLUMNS = new Set(['start', 'end', 'action', 'log-status']);

/** IANA protocol numbers an examiner reads by name. */
export const PROTOCOL_NAMES: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The header line's field names, or an error saying why this is not a flow log header (a file
 * without one cannot be read: the order of the fields is unknown).
 */
export function parseHeader(line: string): string[] {
  const names = line.trim().split(/\s+/);
  const bad = names.find((n) => !FIELD_NAME.test(n));
  if (!line.trim() || bad !== undefined) {
    throw new FlowLineError('field-count', `The first line is not a flow log header (field names such as "version account-id interface-id …"); found ${JSON.stringify(line.slice(0, 80))}`);
  }
  if (new Set(names).size !== names.length) throw new FlowLineError('field-count', 'The header names a field twice');
  if (!names.includes('start')) throw new FlowLineError('no-start', 'The header has no "start" field, so records cannot be placed in time');
  return names;
}

function int(field: string, v: string): number {
  if (!/^\d{1,15}$/.test(v)) throw new FlowLineError('bad-number', `${field} is not a whole number: ${JSON.stringify(v.slice(0, 40))}`);
  const n = Number(v);
  const max = INT_MAX[field];
  if (max !== undefined && n > max) throw new FlowLineError('bad-number', `${field} ${n} is out of range (0–${max})`);
  return n;
}

function epoch(field: string, v: string): string {
  const n = /^\d{1,12}$/.test(v) ? Number(v) * 1000 : NaN;
  const d = new Date(n);
  if (Number.isNaN(d.getTime())) throw new FlowLineError('bad-time', `${field} is not a time in epoch seconds: ${JSON.stringify(v.slice(0, 40))}`);
  return d.toISOString();
}

/** Parses one non-empty record line against the header's field names. */
export function parseRecord(header: string[], line: string): FlowRecord {
  const values = line.trim().split(/\s+/);
  // Concatenated files repeat their header; it is not a record.
  if (values[0] === header[0] && values.every((v) => FIELD_NAME.test(v))) {
    throw new FlowLineError('repeated-header', 'A header line in the middle of the file');
  }
  if (values.length !== header.length) {
    throw new FlowLineError('field-count', `${values.length} fields where the header names ${header.length}`);
  }
  const r: FlowRecord = {
    startTime: '', endTime: null, version: null, accountId: null, interfaceId: null, srcaddr: null, dstaddr: null,
    srcport: null, dstport: null, protocol: null, protocolName: null, packets: null, bytes: null, action: null,
    logStatus: null, vpcId: null, subnetId: null, instanceId: null, flowDirection: null, extra: {},
  };
  for (let i = 0; i < header.length; i++) {
    const field = header[i]!;
    const raw = values[i]!;
    const v = raw === '-' ? null : raw;
    if (field in TEXT_FIELDS) r[TEXT_FIELDS[field as keyof typeof TEXT_FIELDS]] = v;
    else if (field in INT_FIELDS) r[INT_FIELDS[field as keyof typeof INT_FIELDS]] = v === null ? null : int(field, v);
    else if (!OTHER_COLUMNS.has(field)) r.extra[field] = v;
    else if (v === null) {
      if (field === 'start') throw new FlowLineError('no-start', 'The record has no start time');
    } else if (field === 'start') r.startTime = epoch(field, v);
    else if (field === 'end') r.endTime = epoch(field, v);
    else if (field === 'action') {
      if (v !== 'ACCEPT' && v !== 'REJECT') throw new FlowLineError('bad-action', `action is neither ACCEPT nor REJECT: ${JSON.stringify(v.slice(0, 40))}`);
      r.action = v;
    } else {
      if (v !== 'OK' && v !== 'NODATA' && v !== 'SKIPDATA') throw new FlowLineError('bad-status', `log-status is not OK, NODATA or SKIPDATA: ${JSON.stringify(v.slice(0, 40))}`);
      r.logStatus = v;
    }
  }
  r.protocolName = r.protocol === null ? null : (PROTOCOL_NAMES[r.protocol] ?? null);
  return r;
}
