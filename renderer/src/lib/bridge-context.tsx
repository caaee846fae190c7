/** React access to the bridge, envelope unwrapping and event subscriptions. */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { Bridge } from '../../../shared/bridge.js';
import type { Envelope } from '../../../shared/envelope.js';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { AppEvent } from '../../../shared/events.js';

const BridgeContext = createContext<Bridge | null>(null);

/** Provides the selected bridge to the component tree. */
export function BridgeProvider({ bridge, children }: { bridge: Bridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

/** The bridge; throws if used outside BridgeProvider (a programming error, not an examiner's). */
export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside BridgeProvider');
  return bridge;
}

/** An envelope error carried as an exception inside the renderer, keeping its code. */
export class ApiError extends Error {
  readonly code: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.code = info.code;
  }
}

/** Returns the value of an envelope or throws ApiError with its code and message. */
export async function unwrap<T>(envelope: Promise<Envelope<T>>): Promise<T> {
  const result = await envelope;
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/** Turns anything caught in the renderer into `{ code, message }` for display. */
export function toDisplayError(err: unknown): ErrorInfo {
  if (err instanceof ApiError) return { code: err.code as ErrorInfo['code'], message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

/** Subscribes to app events for the component's lifetime; the handler may change between renders. */
export function useAppEvents(handler: (event: AppEvent) => void): void {
  const bridge = useBridge();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => bridge.onEvent((event) => ref.current(event)), [bridge]);
}
