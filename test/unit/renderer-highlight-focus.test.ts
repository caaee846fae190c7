/** Focusing the timeline on one highlight rule: the event ids it flagged, the span fallback past the cap, and the FilterBar chip. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TimelineHighlight } from '../../shared/contract-highlights.js';
import { EVENT_IDS_CAP, timelineFiltersSchema, type TimelineFilters } from '../../shared/contract-logs.js';
import type { TimelineFacets, TimelineHistogram } from '../../shared/types.js';
import { FilterBar, type HighlightFocusChip } from '../../renderer/src/components/timeline/FilterBar.js';
import { groupHits, ruleEventIds } from '../../renderer/src/components/timeline/highlight-groups.js';
import { focusForRule, type SpanReader } from '../../renderer/src/components/timeline/rule-focus.js';
import { countFilters, emptyDraft } from '../../renderer/src/components/timeline/timeline-filters.js';

const hit = (eventId: string, relatedEventIds?: string[]): TimelineHighlight => ({
  ruleId: 'r', title: 'Rule R', severity: 'high', mitre: [], eventId, eventTime: '2024-03-01T10:00:00Z', summary: '', relatedEventIds,
});

/** A reader that must not be called. */
const noReads: SpanReader = {
  histogram: () => Promise.reject(new Error('histogram read')),
  eventNames: () => Promise.reject(new Error('facets read')),
};

function hist(from: string | null, to: string | null): TimelineHistogram {
  return { bucketMs: 1, from, to, buckets: [] };
}
function names(values: string[], otherValues = 0): TimelineFacets {
  return { field: 'eventName', values: values.map((value) => ({ value, count: 1 })), otherValues };
}

describe('a rule\'s events', () => {
  it('are its hits and each burst\'s other events, once each, in first-seen order', () => {
    const [g] = groupHits([hit('b', ['a', 'b']), hit('c'), hit('d', ['c', 'e'])]);
    expect(ruleEventIds(g!)).toEqual(['b', 'a', 'c', 'd', 'e']);
  });

  it('become the eventIds filter, with no read, up to the cap', async () => {
    const hits = Array.from({ length: EVENT_IDS_CAP }, (_, i) => hit(`ev-${i}`));
    const f = await focusForRule(groupHits(hits)[0]!, noReads);
    expect(f).toMatchObject({ kind: 'exact', ruleId: 'r', title: 'Rule R' });
    expect(f.kind === 'exact' && f.eventIds).toHaveLength(EVENT_IDS_CAP);
    // What the focus produces is what the contract accepts.
    expect(timelineFiltersSchema.safeParse({ eventIds: f.kind === 'exact' ? f.eventIds : [] }).success).toBe(true);
    expect(timelineFiltersSchema.safeParse({ eventIds: [...(f.kind === 'exact' ? f.eventIds : []), 'one-more'] }).success).toBe(false);
  });

  it('past the cap become the span and names of all of them, read one cap-sized slice at a time', async () => {
    const hits = Array.from({ length: EVENT_IDS_CAP * 2 + 1 }, (_, i) => hit(`ev-${i}`));
    const slices: TimelineFilters[] = [];
    const spans: [string, string][] = [['2024-03-01T10:00:00.000Z', '2024-03-01T11:00:00.001Z'], ['2024-03-01T09:30:00.000Z', '2024-03-01T10:30:00.001Z'], ['2024-03-01T10:10:00.000Z', '2024-03-01T12:00:00.001Z']];
    const read: SpanReader = {
      histogram: (f) => {
        slices.push(f);
        const [from, to] = spans[slices.length - 1]!;
        return Promise.resolve(hist(from, to));
      },
      eventNames: () => Promise.resolve(names(slices.length === 2 ? ['GetObject', 'ListBuckets'] : ['GetObject'])),
    };
    const f = await focusForRule(groupHits(hits)[0]!, read);
    expect(slices.map((s) => s.eventIds!.length)).toEqual([EVENT_IDS_CAP, EVENT_IDS_CAP, 1]);
    expect(slices[2]!.eventIds).toEqual([`ev-${EVENT_IDS_CAP * 2}`]);
    expect(f).toEqual({
      kind: 'span', ruleId: 'r', title: 'Rule R', count: EVENT_IDS_CAP * 2 + 1,
      from: '2024-03-01T09:30:00.000Z', to: '2024-03-01T12:00:00.001Z', eventNames: ['GetObject', 'ListBuckets'],
    });
  });

  it('past the cap give no names when the facet did not list them all', async () => {
    const hits = Array.from({ length: EVENT_IDS_CAP + 1 }, (_, i) => hit(`ev-${i}`));
    const read: SpanReader = {
      histogram: () => Promise.resolve(hist('2024-03-01T10:00:00.000Z', '2024-03-01T10:00:00.001Z')),
      eventNames: () => Promise.resolve(names(['GetObject'], 3)),
    };
    expect(await focusForRule(groupHits(hits)[0]!, read)).toMatchObject({ kind: 'span', eventNames: null });
    const none: SpanReader = { histogram: () => Promise.resolve(hist(null, null)), eventNames: () => Promise.resolve(names([])) };
    await expect(focusForRule(groupHits(hits)[0]!, none)).rejects.toThrow(/None of the events of "Rule R"/);
  });
});

describe('the FilterBar chip', () => {
  const render = (focus: HighlightFocusChip | null, onEndFocus?: () => void): string =>
    renderToStaticMarkup(
      createElement(FilterBar, {
        draft: emptyDraft, onChange: () => undefined, onApply: () => undefined, onClear: () => undefined,
        problems: {}, timeZone: 'UTC', textIndex: null, focus, onEndFocus,
      }),
    );

  it('names the rule and its event count, with a remove button', () => {
    const html = render({ title: 'IAM access key created', count: 2, exact: true }, () => undefined);
    expect(html).toContain('Highlight: IAM access key created (2 events)');
    expect(html).toContain('aria-label="Remove filter Highlight: IAM access key created (2 events)"');
    expect(html).not.toContain('role="note"');
  });

  it('says when the rule had too many events and the view is its span', () => {
    const html = render({ title: 'Discovery burst', count: 12_345, exact: false }, () => undefined);
    expect(html).toContain('Highlight: Discovery burst (12,345 events)');
    expect(html).toMatch(/role="note"[^>]*>This rule flagged 12,345 events, more than the 5,000 one filter can name/);
    expect(html).toContain('can include events the rule did not flag');
  });

  it('is absent without a focus, and the focus counts as one filter', () => {
    expect(render(null)).not.toContain('tl-chip');
    expect(countFilters({ eventIds: ['a', 'b'], region: ['us-east-1'] })).toBe(2);
  });
});
