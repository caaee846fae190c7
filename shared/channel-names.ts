/**
 * The contract's channel names without its schemas, so the sandboxed preload need not bundle zod.
 * contract.ts checks at compile time that this list and the channel map agree exactly.
 */
export const channelNames = [
  'app.info',
  'settings.getProfile',
  'settings.setProfile',
  'cases.create',
  'cases.open',
  'cases.close',
  'cases.list',
  'cases.get',
  'evidence.add',
  'evidence.list',
  'evidence.get',
  'evidence.verify',
  'custody.list',
  'custody.verifyChain',
  'notes.list',
  'notes.create',
  'notes.revise',
  'notes.history',
  'jobs.list',
  'jobs.cancel',
  'jobs.resume',
  'jobs.discard',
  'logs.ingest',
  'logs.index',
  'timeline.query',
  'timeline.event',
  'timeline.facets',
  'timeline.histogram',
  'reports.exportCustody',
] as const;

export type ChannelName = (typeof channelNames)[number];
