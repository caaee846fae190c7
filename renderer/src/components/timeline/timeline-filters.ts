/** The timeline's filter form as the examiner types it, and its conversion to the contract's UTC filters. Pure. */
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import { readTimeRange } from '../../lib/wall-time.js';

// Kept importable from here: the AWS log acquisition form and the unit tests read it from this module.
export { wallTimeToUtc } from '../../lib/wall-time.js';

/** What the form holds: text as typed; times are wall-clock in the case's zone. */
export interface FilterDraft {
  from: string;
  to: string;
  eventSource: string;
  eventName: string;
  identityArn: string;
  accessKeyId: string;
  sourceIp: string;
  region: string;
  accountId: string;
  /** '' = no filter, '*' = any error, else a comma-separated list of codes. */
  errorCode: string;
  readOnly: 'any' | 'yes' | 'no';
  userAgentPrefix: string;
  text: string;
}

export const emptyDraft: FilterDraft = {
  from: '', to: '', eventSource: '', eventName: '', identityArn: '', accessKeyId: '', sourceIp: '',
  region: '', accountId: '', errorCode: '', readOnly: 'any', userAgentPrefix: '', text: '',
};

/** The list-valued filters that a facet click can extend. */
export type ListField = 'eventSource' | 'eventName' | 'identityArn' | 'accessKeyId' | 'sourceIp' | 'region' | 'accountId' | 'errorCode';

function list(value: string): string[] | undefined {
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  return items.length ? [...new Set(items)] : undefined;
}

export interface Converted {
  filters: TimelineFilters;
  /** Per-field messages for input that could not be read; the filters are not applied while any exist. */
  problems: Partial<Record<keyof FilterDraft, string>>;
}

/** Builds the query's filters from the form; list fields take comma-separated values. */
export function draftToFilters(draft: FilterDraft, timeZone: string): Converted {
  const time = readTimeRange(draft, timeZone);
  const filters: TimelineFilters = { ...time.range };
  const problems: Converted['problems'] = { ...time.problems };
  for (const key of ['eventSource', 'eventName', 'identityArn', 'accessKeyId', 'sourceIp', 'region', 'accountId'] as const) {
    const values = list(draft[key]);
    if (values) filters[key] = values;
  }
  if (draft.errorCode.trim() === '*') filters.errorCode = 'any';
  else {
    const codes = list(draft.errorCode);
    if (codes) filters.errorCode = codes;
  }
  if (draft.readOnly !== 'any') filters.readOnly = draft.readOnly === 'yes';
  if (draft.userAgentPrefix.trim()) filters.userAgentPrefix = draft.userAgentPrefix.trim();
  if (draft.text.trim()) filters.text = draft.text.trim();
  return { filters, problems };
}

/** The draft with one more value in a list field (a facet click); unchanged if already there. */
export function addListValue(draft: FilterDraft, field: ListField, value: string): FilterDraft {
  const current = list(draft[field]) ?? [];
  if (field === 'errorCode' && draft.errorCode.trim() === '*') return { ...draft, errorCode: value };
  if (current.includes(value)) return draft;
  return { ...draft, [field]: [...current, value].join(', ') };
}

/** How many filters are in effect, for the summary line. */
export function countFilters(filters: TimelineFilters): number {
  return Object.values(filters).filter((v) => v !== undefined).length;
}
