/** The AWS connection, discovery and preflight operations of the contract (shared/contract-aws.ts). */
import type { awsChannels } from '../shared/contract-aws.js';
import { connect } from './core/aws/connect/connect.js';
import { startImage } from './core/aws/image-job/start-image.js';
import { listConnections, removeConnection } from './core/aws/connect/connections.js';
import { listProfiles } from './core/aws/connect/profiles.js';
import { discover } from './core/aws/discover/discover.js';
import { describeInstance } from './core/aws/discover/instance.js';
import { preflight } from './core/aws/preflight/preflight.js';
import { appendEvent } from './core/custody/custody.repo.js';
import type { Handlers } from './handlers.js';

export const awsHandlers: Pick<Handlers, keyof typeof awsChannels> = {
  'aws.profiles': () => listProfiles(),
  'aws.connect': (input, ctx) => connect(ctx.ws, input),
  'aws.connections': (input, ctx) => listConnections(ctx.ws, input.caseId),
  'aws.disconnect': (input, ctx) => {
    const actor = ctx.ws.actor();
    removeConnection(ctx.ws, input.caseId, input.connectionId);
    appendEvent(ctx.ws.get(input.caseId).session.db, actor, { action: 'aws.disconnected', details: { connectionId: input.connectionId } });
    ctx.ws.emit({ kind: 'case.changed', caseId: input.caseId, what: 'custody' });
    return null;
  },
  'aws.discover': (input, ctx) => discover(ctx.ws, input),
  'aws.instance': (input, ctx) => describeInstance(ctx.ws, input),
  'aws.preflight': (input, ctx) => preflight(ctx.ws, input),
  'aws.image': (input, ctx) => startImage(ctx.ws, input),
};
