/**
 * How the timeline is narrowed to one highlight rule: exactly its events through the `eventIds`
 * filter, or, for a rule with more events than that filter takes, their time span and event names
 * (which can include events the rule did not flag). No React, so it is tested under Node.
 */
import { EVENT_IDS_CAP, type TimelineFilters } from '../../../../shared/contract-logs.js';
import type { TimelineFacets, TimelineHistogram } from '../../../../shared/types.js';
import { ruleEventIds, type RuleGroup } from './highlight-groups.js';

/** The event-name filter takes at most this many values; a rule spread over more is focused by its span alone. */
const NAMES_CAP = 200;

/** The focus for one rule. */
export type RuleFocus =
  /** Exactly the flagged events (the `eventIds` filter). */
  | { kind: 'exact'; ruleId: string; title: string; eventIds: string[] }
  /** Too many events for `eventIds`: their span (UTC, inclusive / exclusive) and, when known in full, their names. */
  | { kind: 'span'; ruleId: string; title: string; count: number; from: string; to: string; eventNames: string[] | null };

/** The two timeline reads the span needs (histogram with one bucket, eventName facet). */
export interface SpanReader {
  histogram: (filters: TimelineFilters) => Promise<TimelineHistogram>;
  eventNames: (filters: TimelineFilters) => Promise<TimelineFacets>;
}

/** The focus for a rule's hits; `read` is used only when they are more than EVENT_IDS_CAP. */
export async function focusForRule(group: RuleGroup, read: SpanReader): Promise<RuleFocus> {
  const ids = ruleEventIds(group);
  const base = { ruleId: group.ruleId, title: group.title };
  if (ids.length <= EVENT_IDS_CAP) return { ...base, kind: 'exact', eventIds: ids };
  // The server reads the exact span and names of every event, one cap-sized slice at a time.
  let from = '';
  let to = '';
  const names = new Set<string>();
  let namesComplete = true;
  for (let i = 0; i < ids.length; i += EVENT_IDS_CAP) {
    const filters: TimelineFilters = { eventIds: ids.slice(i, i + EVENT_IDS_CAP) };
    const [hist, facet] = await Promise.all([read.histogram(filters), read.eventNames(filters)]);
    if (hist.from && (!from || hist.from < from)) from = hist.from;
    if (hist.to && hist.to > to) to = hist.to;
    for (const v of facet.values) if (typeof v.value === 'string') names.add(v.value);
    if (facet.otherValues > 0) namesComplete = false;
  }
  if (!from || !to) throw new Error(`None of the events of "${group.title}" is in the timeline; run the highlights again`);
  const eventNames = namesComplete && names.size <= NAMES_CAP ? [...names].sort() : null;
  return { ...base, kind: 'span', count: ids.length, from, to, eventNames };
}
