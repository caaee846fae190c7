/** The highlights operation of the contract (shared/contract-highlights.ts). */
import { highlightSeverities, type highlightsChannels, type TimelineHighlight, type TimelineHighlights } from '../shared/contract-highlights.js';
import type { TimelineFilters } from '../shared/contract.js';
import type { CaseDb } from './core/cases/case-db.js';
import { tryNormalise } from './core/logs/cloudtrail/record.js';
import { builtInRules, HighlightEvaluator, type HighlightRule, type Severity } from './core/logs/highlights/index.js';
import { buildWhere } from './core/logs/timeline/index.js';
import type { Handlers } from './handlers.js';

/**
 * Streams the matching events in (event_time, id) order through the rules. Rows come one at a
 * time from iterate(), so a million-event case is never held in memory; the scan stops at the
 * first hit past `limit`. It runs synchronously on purpose: an iterator kept open across awaits
 * would leave the case connection busy for every other operation.
 */
export function highlightTimeline(db: CaseDb, filters: TimelineFilters, rules: readonly HighlightRule[], limit: number): TimelineHighlights {
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const evaluator = new HighlightEvaluator(rules);
  const w = buildWhere(db, filters);
  const rows = db.prepare(`SELECT raw FROM ct_events ${w.sql} ORDER BY event_time, id`).pluck().iterate(w.params) as IterableIterator<string>;
  const hits: TimelineHighlight[] = [];
  let eventsScanned = 0;
  let truncated = false;
  for (const raw of rows) {
    eventsScanned++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue; // ingest stored only records that parsed; a row that does not is left to verify to report
    }
    const rec = tryNormalise(value, raw);
    if (!rec.ok) continue;
    for (const h of evaluator.push(rec.record)) {
      if (hits.length === limit) {
        truncated = true;
        break;
      }
      hits.push({ ...h, title: titles.get(h.ruleId) ?? h.ruleId });
    }
    // Leaving the loop closes the statement's iterator, freeing the connection.
    if (truncated) break;
  }
  return { hits, rulesEvaluated: rules.length, eventsScanned, truncated };
}

/** The built-in rules at or above a severity (all of them without one). */
export function rulesAtLeast(min: Severity | undefined): readonly HighlightRule[] {
  const all = builtInRules();
  if (!min) return all;
  const floor = highlightSeverities.indexOf(min);
  return all.filter((r) => highlightSeverities.indexOf(r.severity) >= floor);
}

export const highlightsHandlers: Pick<Handlers, keyof typeof highlightsChannels> = {
  // Read-only over the stored events: no custody event, like timeline.query.
  'timeline.highlights': (input, ctx) =>
    highlightTimeline(ctx.ws.get(input.caseId).session.db, input.filters, rulesAtLeast(input.severityAtLeast), input.limit),
};
