/** The timeline's filter form as the examiner types it, and its conversion to the contract's UTC filters. Pure. */
import type { TimelineFilters } from '../../../../shared/contract-logs.js';

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

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** Milliseconds the zone is ahead of UTC at instant t. */
function offsetMs(t: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(t));
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * "2024-07-31 15:06[:24[.5]]" read as wall-clock time in the zone → UTC ISO string; null when it is
 * not such a time. A wall time skipped or repeated by a DST change resolves to the earlier offset's reading.
 */
export function wallTimeToUtc(value: string, timeZone: string): string | null {
  const m = WALL.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const guess = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, Number(ms.padEnd(3, '0')));
  const check = new Date(guess);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) return null;
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone);
  return new Date(t).toISOString();
}

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
  const filters: TimelineFilters = {};
  const problems: Converted['problems'] = {};
  for (const key of ['from', 'to'] as const) {
    if (!draft[key].trim()) continue;
    const utc = wallTimeToUtc(draft[key], timeZone);
    if (utc) filters[key] = utc;
    else problems[key] = 'Use YYYY-MM-DD HH:MM[:SS]';
  }
  if (filters.from && filters.to && filters.from >= filters.to) problems.to = 'Must be after From';
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
