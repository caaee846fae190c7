/** The AWS preservation and snapshot operations of the contract (shared/contract-aws-preserve.ts). */
import type { awsPreserveChannels } from '../shared/contract-aws-preserve.js';
import { preserve, restoreGroups } from './core/aws/preserve/preserve.js';
import { startSnapshot } from './core/aws/snapshot/start-snapshot.js';
import type { Handlers } from './handlers.js';

export const awsPreserveHandlers: Pick<Handlers, keyof typeof awsPreserveChannels> = {
  'aws.preserve': (input, ctx) => preserve(ctx.ws, input),
  'aws.restoreGroups': (input, ctx) => restoreGroups(ctx.ws, input),
  'aws.snapshot': (input, ctx) => startSnapshot(ctx.ws, input),
};
