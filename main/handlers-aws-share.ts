/** The snapshot share, re-encrypted copy and lock operations of the contract (shared/contract-aws-share.ts). */
import type { awsShareChannels } from '../shared/contract-aws-share.js';
import { copySnapshot } from './core/aws/share/copy-snapshot.js';
import { lockSnapshot } from './core/aws/share/lock-snapshot.js';
import { shareSnapshot } from './core/aws/share/share-snapshot.js';
import type { Handlers } from './handlers.js';

export const awsShareHandlers: Pick<Handlers, keyof typeof awsShareChannels> = {
  'aws.snapshotShare': (input, ctx) => shareSnapshot(ctx.ws, input),
  'aws.snapshotCopy': (input, ctx) => copySnapshot(ctx.ws, input),
  'aws.snapshotLock': (input, ctx) => lockSnapshot(ctx.ws, input),
};
