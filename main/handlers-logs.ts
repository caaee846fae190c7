/** The log and timeline operations of the contract (shared/contract-logs.ts). */
import { randomUUID } from 'node:crypto';
import type { logsChannels } from '../shared/contract-logs.js';
import { insertJob } from './core/jobs/jobs.repo.js';
import { checkIngestable } from './core/logs/ingest/index.js';
import { getTimelineEvent, queryTimeline, timelineFacets, timelineHistogram } from './core/logs/timeline/index.js';
import type { Handlers } from './handlers.js';

export const logsHandlers: Pick<Handlers, keyof typeof logsChannels> = {
  'logs.ingest': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const artifacts = checkIngestable(session, input.artifactIds);
    const jobId = randomUUID();
    const indexJobId = randomUUID();
    const n = artifacts.length;
    session.db.transaction(() => {
      insertJob(session.db, {
        id: jobId,
        kind: 'logs.ingest',
        title: n === 1 ? `Ingest CloudTrail: ${artifacts[0]!.name}` : `Ingest CloudTrail: ${n} files`,
        artifactId: n === 1 ? artifacts[0]!.id : null,
        params: { artifactIds: input.artifactIds },
      });
      // Text search follows as its own job, so the timeline is usable as soon as ingest ends.
      insertJob(session.db, { id: indexJobId, kind: 'logs.index', title: 'Index CloudTrail events for text search', artifactId: null, params: {} });
    }).immediate();
    runner.enqueue(jobId);
    runner.enqueue(indexJobId);
    return { jobId, indexJobId };
  },
  'logs.index': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const jobId = randomUUID();
    insertJob(session.db, { id: jobId, kind: 'logs.index', title: 'Index CloudTrail events for text search', artifactId: null, params: {} });
    runner.enqueue(jobId);
    return { jobId };
  },
  'timeline.query': (input, ctx) => queryTimeline(ctx.ws.get(input.caseId).session.db, input.filters, input.cursor, input.limit),
  'timeline.event': (input, ctx) => getTimelineEvent(ctx.ws.get(input.caseId).session.db, input.eventId),
  'timeline.facets': (input, ctx) => timelineFacets(ctx.ws.get(input.caseId).session.db, input.filters, input.field, input.limit),
  'timeline.histogram': (input, ctx) => timelineHistogram(ctx.ws.get(input.caseId).session.db, input.filters, input.buckets),
};
