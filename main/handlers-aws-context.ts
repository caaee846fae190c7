/** The AWS context-capture operation of the contract (shared/contract-aws-context.ts). */
import type { awsContextChannels } from '../shared/contract-aws-context.js';
import { startContextCapture } from './core/aws/context/start-context.js';
import type { Handlers } from './handlers.js';

export const awsContextHandlers: Pick<Handlers, keyof typeof awsContextChannels> = {
  'aws.captureContext': (input, ctx) => startContextCapture(ctx.ws, input),
};
