/**
 * The eventIds timeline filter through the contract: query, facets, histogram and timeline.export
 * give exactly the named events (custody names the ids), and a highlight rule focused through it
 * shows exactly the rule's hits, where the old span-and-name focus also showed events it did not flag.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_IDS_CAP, type TimelineFilters } from '../../shared/contract-logs.js';
import { groupHits, ruleEventIds } from '../../renderer/src/components/timeline/highlight-groups.js';
import { focusForRule, type SpanReader } from '../../renderer/src/components/timeline/rule-focus.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { syntheticRecords, type CtRecord } from '../support/logs-synthetic.js';

const N = 6000;
const records = syntheticRecords(N, 0, 11);
const byId = new Map(records.filter((r) => r.eventID).map((r) => [r.eventID!, r]));
const iso = (t: string): string => new Date(Date.parse(t)).toISOString();

describe('the eventIds filter', () => {
  let h: Harness;
  let caseId: string;

  beforeAll(async () => {
    h = await startHarness();
    caseId = (await h.call('cases.create', { number: 'IR-IDS', title: 'Event ids' })).id;
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const file = path.join(h.root, `ids${i}.json.gz`);
      fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: records.slice(i * 3000, (i + 1) * 3000) })));
      const r = await h.call('evidence.add', { caseId, sourcePath: file, mode: 'copy' });
      await h.waitJob(caseId, r.jobId);
      ids.push(r.artifactId);
    }
    const { jobId, indexJobId } = await h.call('logs.ingest', { caseId, artifactIds: ids });
    expect((await h.waitJob(caseId, jobId)).state).toBe('succeeded');
    await h.waitJob(caseId, indexJobId);
  });
  afterAll(async () => {
    await h.dispose();
  });

  async function allIds(filters: TimelineFilters): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.call('timeline.query', { caseId, filters, cursor, limit: 1000 });
      for (const e of page.events) seen.push(e.eventId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  }

  const reader: SpanReader = {
    histogram: (filters) => h.call('timeline.histogram', { caseId, filters, buckets: 1 }),
    eventNames: (filters) => h.call('timeline.facets', { caseId, filters, field: 'eventName', limit: 500 }),
  };

  it('gives query, facets, histogram and export exactly the named events, and custody names them', async () => {
    // An event without a CloudTrail eventID is named by its dedupe key, as the timeline shows it.
    const first = await h.call('timeline.query', { caseId, filters: { to: '2026-03-01T00:00:01Z' }, limit: 5 });
    const keyed = first.events.find((e) => e.eventId.startsWith('sha256:'))!;
    expect(keyed).toBeDefined();
    const named = ['ev-5999', 'ev-10', 'ev-2500', 'ev-10', 'not-in-this-case'];
    const filters: TimelineFilters = { eventIds: [...named, keyed.eventId] };
    const expected = [records[0]!, byId.get('ev-10')!, byId.get('ev-2500')!, byId.get('ev-5999')!];

    const page = await h.call('timeline.query', { caseId, filters });
    expect(page.total).toBe(4);
    expect(page.events.map((e) => e.eventId)).toEqual([keyed.eventId, 'ev-10', 'ev-2500', 'ev-5999']);

    const facets = await h.call('timeline.facets', { caseId, filters, field: 'eventName', limit: 50 });
    const counts = new Map<string, number>();
    for (const r of expected) counts.set(r.eventName, (counts.get(r.eventName) ?? 0) + 1);
    expect(new Map(facets.values.map((v) => [v.value, v.count]))).toEqual(counts);

    const hist = await h.call('timeline.histogram', { caseId, filters, buckets: 10 });
    expect(hist.from).toBe(iso(records[0]!.eventTime));
    expect(hist.to).toBe(new Date(Date.parse(byId.get('ev-5999')!.eventTime) + 1).toISOString());
    expect(hist.buckets.reduce((a, b) => a + b.count, 0)).toBe(4);

    // With another filter, AND as every filter.
    const name = byId.get('ev-2500')!.eventName;
    const narrowed = await h.call('timeline.query', { caseId, filters: { ...filters, eventName: [name] } });
    expect(narrowed.events.map((e) => e.eventId)).toEqual(expected.filter((r) => r.eventName === name).map((r) => r.eventID ?? keyed.eventId));

    const exp = await h.call('timeline.export', { caseId, filters, format: 'csv' });
    expect(exp.rows).toBe(4);
    const lines = fs.readFileSync(exp.absolutePath, 'utf8').trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[12])).toEqual([keyed.eventId, 'ev-10', 'ev-2500', 'ev-5999']);
    const { events } = await h.call('custody.list', { caseId, limit: 1000 });
    const ev = events.find((e) => e.action === 'timeline.exported' && e.details.path === exp.path);
    expect(ev?.details).toMatchObject({ filters: { eventIds: filters.eventIds }, rows: 4, sha256: exp.sha256 });
    expect((await h.call('custody.verifyChain', { caseId })).ok).toBe(true);
  });

  it('focuses a highlight rule on exactly its hits, which the time span and event names did not', async () => {
    const hl = await h.call('timeline.highlights', { caseId, limit: 5000 });
    expect(hl.truncated).toBe(false);
    const group = groupHits(hl.hits).find((g) => g.ruleId === 'iam-create-access-key')!;
    expect(group.hits.length).toBeGreaterThan(20);
    const focus = await focusForRule(group, { histogram: () => Promise.reject(new Error('no read')), eventNames: () => Promise.reject(new Error('no read')) });
    expect(focus.kind).toBe('exact');
    const shown = await allIds(focus.kind === 'exact' ? { eventIds: focus.eventIds } : {});
    expect(new Set(shown)).toEqual(new Set(ruleEventIds(group)));
    expect(shown).toHaveLength(group.hits.length);
    // The rule's own definition, from the source records: CreateAccessKey by IAM that did not fail.
    const flagged = records.filter((r) => r.eventSource === 'iam.amazonaws.com' && r.eventName === 'CreateAccessKey' && !r.errorCode);
    expect(shown.length).toBe(flagged.length);
    expect(shown.filter((id) => !id.startsWith('sha256:'))).toEqual(flagged.filter((r) => r.eventID).map((r) => r.eventID));
    // What the focus used to be: the span and the event name, which also holds events the rule did not flag.
    const times = group.hits.map((x) => x.eventTime).sort();
    const old = await h.call('timeline.query', {
      caseId, filters: { from: times[0]!, to: new Date(Date.parse(times.at(-1)!) + 1).toISOString(), eventName: ['CreateAccessKey'] }, limit: 1,
    });
    expect(old.total).toBeGreaterThan(shown.length);
  });

  it('past the cap, focuses on the exact span and names of all the rule\'s events', async () => {
    const chosen: CtRecord[] = records.filter((r) => r.eventID && r.eventName !== 'RunInstances').slice(100, 100 + EVENT_IDS_CAP + 1);
    const group = groupHits(chosen.map((r) => ({
      ruleId: 'wide', title: 'Wide rule', severity: 'low' as const, mitre: [], eventId: r.eventID!, eventTime: r.eventTime, summary: '',
    })))[0]!;
    const focus = await focusForRule(group, reader);
    expect(focus).toEqual({
      kind: 'span', ruleId: 'wide', title: 'Wide rule', count: EVENT_IDS_CAP + 1,
      from: iso(chosen[0]!.eventTime),
      to: new Date(Date.parse(chosen.at(-1)!.eventTime) + 1).toISOString(),
      eventNames: [...new Set(chosen.map((r) => r.eventName))].sort(),
    });
    expect(focus.kind === 'span' && focus.eventNames).not.toContain('RunInstances');
  });
});
