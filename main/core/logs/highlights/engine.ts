import type { CloudTrailRecord } from '../cloudtrail/record.js';
import { fillTemplate, prefilter, testCondition, valuesAt } from './match.js';
import type { HighlightRule, MitreMapping, Severity } from './rule-schema.js';

/** One flagged event: the rule that fired and the event that made it fire. */
export interface HighlightHit {
  ruleId: string;
  /** The event's eventID, or its dedupe key (`sha256:…`) when the record has none. */
  eventId: string;
  eventTime: string;
  severity: Severity;
  mitre: MitreMapping[];
  summary: string;
  /** Aggregate rules: every event in the window that reached the threshold, oldest first. */
  relatedEventIds?: string[];
}

interface WindowEntry { ms: number; eventId: string; key: string }

type Json = Record<string, unknown>;

function describe(rule: HighlightRule, rec: CloudTrailRecord, raw: Json): string {
  if (rule.summary) return fillTemplate(rule.summary, raw);
  const who = rec.userArn ?? rec.actor ?? 'unknown identity';
  const from = rec.sourceIpAddress ? ` from ${rec.sourceIpAddress}` : '';
  const failed = rec.errorCode ? ` (failed: ${rec.errorCode})` : '';
  return `${rule.title}: ${rec.eventName} by ${who}${from}${failed}`;
}

/**
 * Evaluates rules one record at a time, so a caller can stream millions of events through it.
 * Aggregate rules keep a sliding window per group; input in rough time order (as a timeline
 * query returns it) is assumed: an event older than the window's newest by more than
 * windowSeconds is counted against that group's current window anyway.
 */
export class HighlightEvaluator {
  private readonly windows = new Map<string, WindowEntry[]>();

  constructor(private readonly rules: readonly HighlightRule[]) {}

  /** The hits this record produces (usually none). */
  push(rec: CloudTrailRecord): HighlightHit[] {
    const candidates = this.rules.filter((r) => prefilter(r, rec.eventSource, rec.eventName, rec.errorCode));
    if (candidates.length === 0) return [];
    let raw: Json;
    try {
      raw = JSON.parse(rec.raw) as Json;
    } catch {
      return [];
    }
    const hits: HighlightHit[] = [];
    const eventId = rec.eventId ?? rec.dedupeKey;
    for (const rule of candidates) {
      if (!(rule.match.conditions ?? []).every((c) => testCondition(c, raw))) continue;
      const base = { ruleId: rule.id, eventId, eventTime: rec.eventTime, severity: rule.severity, mitre: rule.mitre };
      if (!rule.aggregate) {
        hits.push({ ...base, summary: describe(rule, rec, raw) });
        continue;
      }
      const hit = this.aggregate(rule, rec, raw, eventId);
      if (hit) hits.push({ ...base, ...hit });
    }
    return hits;
  }

  private aggregate(rule: HighlightRule, rec: CloudTrailRecord, raw: Json, eventId: string): Pick<HighlightHit, 'summary' | 'relatedEventIds'> | null {
    const agg = rule.aggregate!;
    const group = valuesAt(raw, agg.groupBy).map(String)[0] ?? '(none)';
    const slot = `${rule.id}\u0000${group}`;
    const ms = Date.parse(rec.eventTime);
    const key = agg.distinct ? (valuesAt(raw, agg.distinct).map(String)[0] ?? '') : eventId;
    // Keeping only the newest entry per distinct key bounds the window to minCount entries.
    const win = (this.windows.get(slot) ?? []).filter((e) => e.ms >= ms - agg.windowSeconds * 1000 && (!agg.distinct || e.key !== key));
    win.push({ ms, eventId, key });
    const count = new Set(win.map((e) => e.key)).size;
    if (count < agg.minCount) {
      this.windows.set(slot, win);
      return null;
    }
    // Fired: start the window afresh so one burst is one hit, and a long burst a few.
    this.windows.delete(slot);
    const first = win.reduce((a, e) => Math.min(a, e.ms), ms);
    const what = agg.distinct ? `${count} distinct ${agg.distinct} values` : `${count} events`;
    const lead = rule.summary ? fillTemplate(rule.summary, raw) : rule.title;
    return {
      summary: `${lead}: ${what} by ${group} within ${Math.round((ms - first) / 1000)} s (window ${agg.windowSeconds} s)`,
      relatedEventIds: win.map((e) => e.eventId),
    };
  }
}

/** Runs the rules over records in order and returns every hit. */
export function evaluate(records: Iterable<CloudTrailRecord>, rules: readonly HighlightRule[]): HighlightHit[] {
  const ev = new HighlightEvaluator(rules);
  const hits: HighlightHit[] = [];
  for (const r of records) hits.push(...ev.push(r));
  return hits;
}

/** Streaming form of evaluate for async sources (a file reader, a paged query). */
export async function* evaluateStream(records: AsyncIterable<CloudTrailRecord>, rules: readonly HighlightRule[]): AsyncGenerator<HighlightHit> {
  const ev = new HighlightEvaluator(rules);
  for await (const r of records) yield* ev.push(r);
}
