/** The log acquisition operations of the contract (shared/contract-logs-acquire.ts). */
import type { logsAcquireChannels } from '../shared/contract-logs-acquire.js';
import { acquiredTrail, startCwlFlowsAcquisition, startLookupAcquisition, startS3Acquisition } from './core/logs/acquire/index.js';
import type { Handlers } from './handlers.js';

export const logsAcquireHandlers: Pick<Handlers, keyof typeof logsAcquireChannels> = {
  'logs.acquireS3': (input, ctx) => startS3Acquisition(ctx.ws, input),
  'logs.acquireLookup': (input, ctx) => startLookupAcquisition(ctx.ws, input),
  'flows.acquireCwl': (input, ctx) => startCwlFlowsAcquisition(ctx.ws, input),
  'logs.acquiredTrail': (input, ctx) => acquiredTrail(ctx.ws.get(input.caseId).session, input.bucket),
};
