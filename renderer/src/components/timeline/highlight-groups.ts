/** Highlight hits grouped by rule for the panel. Pure. */
import type { HighlightSeverity, TimelineHighlight } from '../../../../shared/contract-highlights.js';

/** The hits of one rule. */
export interface RuleGroup {
  ruleId: string;
  title: string;
  severity: HighlightSeverity;
  mitre: TimelineHighlight['mitre'];
  hits: TimelineHighlight[];
}

const RANK: Record<HighlightSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Groups hits by rule, most severe first, then most hits. */
export function groupHits(hits: readonly TimelineHighlight[]): RuleGroup[] {
  const groups = new Map<string, RuleGroup>();
  for (const h of hits) {
    const g = groups.get(h.ruleId);
    if (g) g.hits.push(h);
    else groups.set(h.ruleId, { ruleId: h.ruleId, title: h.title, severity: h.severity, mitre: h.mitre, hits: [h] });
  }
  return [...groups.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.hits.length - a.hits.length || a.title.localeCompare(b.title));
}

/** Badge class for a severity. */
export function severityTone(s: HighlightSeverity): string {
  return s === 'critical' || s === 'high' ? 'badge badge-bad' : s === 'medium' ? 'badge badge-warn' : 'badge badge-info';
}

/** Every event a rule flagged (its hits, then each burst's other events), each once, in first-seen order. */
export function ruleEventIds(group: RuleGroup): string[] {
  return [...new Set(group.hits.flatMap((h) => [h.eventId, ...(h.relatedEventIds ?? [])]))];
}
