/** The VPC flow log operations of the contract (shared/contract-flows.ts). */
import { randomUUID } from 'node:crypto';
import type { flowsChannels } from '../shared/contract-flows.js';
import { insertJob } from './core/jobs/jobs.repo.js';
import { checkFlowsIngestable, flowsTouchingCloudTrail, queryFlows } from './core/logs/flows/index.js';
import type { Handlers } from './handlers.js';

export const flowsHandlers: Pick<Handlers, keyof typeof flowsChannels> = {
  'flows.ingest': (input, ctx) => {
    ctx.ws.actor();
    const { session, runner } = ctx.ws.get(input.caseId);
    const artifacts = checkFlowsIngestable(session, input.artifactIds);
    const jobId = randomUUID();
    const n = artifacts.length;
    insertJob(session.db, {
      id: jobId,
      kind: 'flows.ingest',
      title: n === 1 ? `Ingest VPC flow log: ${artifacts[0]!.name}` : `Ingest VPC flow logs: ${n} files`,
      artifactId: n === 1 ? artifacts[0]!.id : null,
      params: { artifactIds: input.artifactIds },
    });
    runner.enqueue(jobId);
    return { jobId };
  },
  'flows.query': (input, ctx) => queryFlows(ctx.ws.get(input.caseId).session.db, input.filters, input.cursor, input.limit),
  'flows.touchingCloudTrail': (input, ctx) =>
    flowsTouchingCloudTrail(ctx.ws.get(input.caseId).session.db, input.filters, input.cursor, input.limit),
};
