/**
 * The browser door's bridge: contract calls over fetch to the loopback host, events over
 * EventSource. The session token comes from the page URL once, then lives in memory and in
 * this tab's sessionStorage (so a reload keeps working) and leaves the address bar.
 */
import { buildDomainApi, type Bridge } from '../../../shared/bridge.js';
import type { Channel } from '../../../shared/contract.js';
import type { Envelope } from '../../../shared/envelope.js';
import type { AppEvent } from '../../../shared/events.js';

const TOKEN_KEY = 'caseward.sessionToken';

/** idle: nobody listens yet; failed: the host refused the stream (EventSource gives up). */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'retrying' | 'failed';

/** A Bridge plus the event stream's health, which only the browser door has. */
export interface BrowserBridge extends Bridge {
  onConnectionChange(cb: (state: ConnectionState) => void): () => void;
}

interface EventSourceLike {
  readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}

export interface BrowserBridgeDeps {
  token: string | null;
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSourceLike;
  /** Origin-relative base of the host's API, '/api' unless a test says otherwise. */
  apiBase?: string;
}

/** Reads the token from the URL (removing it from the address bar), else from this tab's storage. */
export function takeSessionToken(location: Location, history: History, storage: Storage | null): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    url.searchParams.delete('token');
    // Keep the token out of history, bookmarks and screenshots of the address bar.
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    try {
      storage?.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the in-memory token still works until the tab is reloaded.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

const NO_TOKEN_HINT =
  'This page has no valid session token. Open the exact URL that `npm run serve` printed (it ends in ?token=…); the token changes each time the host starts.';

function transportError(message: string): Envelope<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

/** Creates the bridge; the event stream opens on the first subscription and closes with the last. */
export function createBrowserBridge(deps: BrowserBridgeDeps): BrowserBridge {
  const apiBase = deps.apiBase ?? '/api';
  const listeners = new Set<(event: AppEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let source: EventSourceLike | null = null;
  let state: ConnectionState = 'idle';
  const seenCases = new Set<string>();
  const deliver = (event: AppEvent): void => listeners.forEach((cb) => cb(event));

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    connectionListeners.forEach((cb) => cb(next));
  };

  async function invoke(channel: Channel, input: unknown): Promise<Envelope<unknown>> {
    if (!deps.token) return { ok: false, error: { code: 'FORBIDDEN', message: NO_TOKEN_HINT } };
    let response: Response;
    try {
      response = await deps.fetch(`${apiBase}/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${deps.token}` },
        body: JSON.stringify({ channel, input }),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (err) {
      return transportError(
        `Cannot reach the Caseward host (${err instanceof Error ? err.message : String(err)}). Is \`npm run serve\` still running?`,
      );
    }
    if (response.status === 401) return { ok: false, error: { code: 'FORBIDDEN', message: NO_TOKEN_HINT } };
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return transportError(`The host answered ${response.status} ${response.statusText} without a result.`);
    }
    if (body && typeof body === 'object' && 'ok' in body) return body as Envelope<unknown>;
    return transportError(`The host answered ${response.status} with an unexpected body.`);
  }

  function openStream(): void {
    if (source || !deps.token) return;
    setState('connecting');
    const es = new deps.EventSource(`${apiBase}/events?token=${encodeURIComponent(deps.token)}`);
    source = es;
    es.onopen = () => {
      const resumed = state === 'retrying';
      setState('open');
      // Events sent while disconnected are lost: tell every view of a case seen so far to refetch.
      if (resumed) for (const caseId of seenCases) deliver({ kind: 'case.changed', caseId, what: 'case' });
    };
    es.onerror = () => setState(es.readyState === 2 ? 'failed' : 'retrying');
    es.onmessage = (message: MessageEvent) => {
      let event: AppEvent;
      try {
        event = JSON.parse(String(message.data)) as AppEvent;
      } catch {
        return;
      }
      seenCases.add(event.caseId);
      deliver(event);
    };
  }

  function closeStream(): void {
    source?.close();
    source = null;
    setState('idle');
  }

  return {
    api: buildDomainApi(invoke),
    onEvent(cb) {
      listeners.add(cb);
      openStream();
      return () => {
        listeners.delete(cb);
        if (listeners.size === 0) closeStream();
      };
    },
    onConnectionChange(cb) {
      connectionListeners.add(cb);
      cb(state);
      return () => connectionListeners.delete(cb);
    },
  };
}
