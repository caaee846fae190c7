/**
 * The application every door drives: validates a channel and its input, runs the handler, and
 * returns the envelope. Doors (Electron IPC, browser host, CLI) add only transport and sender checks.
 */
import type { AppEvent } from '../shared/events.js';
import type { Envelope } from '../shared/envelope.js';

export type DoorKind = 'electron' | 'browser' | 'cli';

export interface AppOptions {
  /** The workstation's own settings folder (examiner profile, recent cases, logs). */
  userDataDir: string;
  door: DoorKind;
  /** Where new cases go when the examiner gives no folder; defaults to ~/Caseward Cases. */
  casesDir?: string;
  /** Whether this door can show native file dialogs (Electron only). */
  nativeDialogs?: boolean;
}

export interface CasewardApp {
  /** Runs one contract operation; never throws, errors come back in the envelope. */
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>;
  /** Subscribe to events (job progress is already throttled); returns the unsubscribe function. */
  onEvent(cb: (event: AppEvent) => void): () => void;
  /** Stops running jobs (they become interrupted) and closes every open case. */
  close(): Promise<void>;
}

export { createApp } from './app-impl.js';
