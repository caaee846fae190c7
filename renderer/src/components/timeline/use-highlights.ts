/**
 * Highlights for the Timeline: runs timeline.highlights while the panel is shown, marks hit events
 * in the table, and turns one rule's hits into a focus: the `eventIds` filter (exactly the flagged
 * events), or, for a rule with more events than that filter takes, their time span and event names.
 */
import { useMemo, useState } from 'react';
import type { TimelineFilters } from '../../../../shared/contract-logs.js';
import type { ErrorInfo } from '../../../../shared/errors.js';
import type { TimelineHighlights } from '../../../../shared/contract-highlights.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useQuery } from '../../lib/use-query.js';
import type { RuleGroup } from './highlight-groups.js';
import { focusForRule, type RuleFocus } from './rule-focus.js';

export type { RuleFocus };

export interface HighlightsState {
  shown: boolean;
  setShown: (v: boolean) => void;
  data: TimelineHighlights | undefined;
  loading: boolean;
  error: ErrorInfo | null;
  /** eventId → titles of the rules that flagged it. */
  marks: Map<string, string[]>;
  active: string | null;
  focus: (group: RuleGroup, scope: TimelineFilters) => Promise<RuleFocus>;
  clearFocus: () => void;
}

/** `applied` is the timeline's filters; while a rule is focused the highlights keep the filters from before. */
export function useHighlights(caseId: string, applied: TimelineFilters, reloadKey: number): HighlightsState {
  const { api } = useBridge();
  const [shown, setShown] = useState(false);
  const [active, setActive] = useState<{ ruleId: string; scope: TimelineFilters } | null>(null);
  const filters = active ? active.scope : applied;
  const key = JSON.stringify(filters);
  const query = useQuery(() => api.timeline.highlights({ caseId, filters, limit: 1000 }), [caseId, key, reloadKey, shown], shown);

  const marks = useMemo(() => {
    const m = new Map<string, string[]>();
    const add = (id: string, title: string): void => {
      const cur = m.get(id);
      if (!cur) m.set(id, [title]);
      else if (!cur.includes(title)) cur.push(title);
    };
    if (!shown || !query.data) return m;
    for (const h of query.data.hits) {
      add(h.eventId, h.title);
      if (active?.ruleId === h.ruleId) for (const r of h.relatedEventIds ?? []) add(r, `${h.title} (part of the burst)`);
    }
    return m;
  }, [shown, query.data, active]);

  const focus = async (group: RuleGroup, scope: TimelineFilters): Promise<RuleFocus> => {
    const f = await focusForRule(group, {
      histogram: (filters) => unwrap(api.timeline.histogram({ caseId, filters, buckets: 1 })),
      eventNames: (filters) => unwrap(api.timeline.facets({ caseId, filters, field: 'eventName', limit: 500 })),
    });
    setActive({ ruleId: group.ruleId, scope: active ? active.scope : scope });
    return f;
  };

  return {
    shown,
    setShown: (v) => {
      setShown(v);
      if (!v) setActive(null);
    },
    data: shown ? query.data : undefined,
    loading: query.loading,
    error: shown ? query.error : null,
    marks,
    active: active?.ruleId ?? null,
    focus,
    clearFocus: () => setActive(null),
  };
}
