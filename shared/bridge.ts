/**
 * The renderer's view of main: one domain-shaped object (`api.cases.create(...)`), the same
 * whichever door it came through. Built from the contract's channel names, never a generic send.
 */
import type { Channel, InputOf, OutputOf } from './contract.js';
import { channelNames } from './channel-names.js';
import type { AppEvent } from './events.js';
import type { Envelope } from './envelope.js';

type Domain<C extends string> = C extends `${infer D}.${string}` ? D : never;
type Verb<C extends string, D extends string> = C extends `${D}.${infer V}` ? V : never;

export type DomainApi = {
  [D in Domain<Channel>]: {
    [V in Verb<Channel, D>]: (
      input: InputOf<Extract<`${D}.${V}`, Channel>>,
    ) => Promise<Envelope<OutputOf<Extract<`${D}.${V}`, Channel>>>>;
  };
};

export interface Bridge {
  api: DomainApi;
  /** Subscribe to events; returns the unsubscribe function. */
  onEvent(cb: (event: AppEvent) => void): () => void;
  /** Native dialogs exist only in the Electron door. */
  pickFile?: () => Promise<string | null>;
  pickFolder?: () => Promise<string | null>;
}

/** Builds the domain-shaped api from a transport that invokes one known channel. */
export function buildDomainApi(invoke: (channel: Channel, input: unknown) => Promise<Envelope<unknown>>): DomainApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const channel of channelNames) {
    const [domain, verb] = channel.split('.') as [string, string];
    (api[domain] ??= {})[verb] = (input: unknown) => invoke(channel, input ?? {});
  }
  return api as unknown as DomainApi;
}
