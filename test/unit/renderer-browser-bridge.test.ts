import { describe, expect, it } from 'vitest';
import { createBrowserBridge, takeSessionToken, type ConnectionState } from '../../renderer/src/bridge/browser-bridge.js';
import { touches } from '../../renderer/src/lib/case-events.js';
import type { AppEvent } from '../../shared/events.js';
import type { Job } from '../../shared/types.js';

class MemoryStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}

function fakeLocation(href: string) {
  const replaced: string[] = [];
  return {
    location: { href } as Location,
    history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) } as unknown as History,
    replaced,
  };
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  readyState = 0;
  closed = false;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  send(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) } as MessageEvent);
  }
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
}

function recordingFetch(respond: () => Response | Promise<Response>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return respond();
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('session token', () => {
  it('takes the token from the URL, removes it from the address bar and keeps it for reloads', () => {
    const storage = new MemoryStorage();
    const { location, history, replaced } = fakeLocation('http://127.0.0.1:4000/?token=abc123&x=1#notes');
    expect(takeSessionToken(location, history, storage as unknown as Storage)).toBe('abc123');
    expect(replaced).toEqual(['/?x=1#notes']);
    const reload = fakeLocation('http://127.0.0.1:4000/');
    expect(takeSessionToken(reload.location, reload.history, storage as unknown as Storage)).toBe('abc123');
    expect(reload.replaced).toEqual([]);
  });

  it('returns null with no token anywhere', () => {
    const { location, history } = fakeLocation('http://127.0.0.1:4000/');
    expect(takeSessionToken(location, history, null)).toBeNull();
  });
});

describe('browser bridge', () => {
  it('invokes a channel over fetch with the bearer token and returns the envelope', async () => {
    const { calls, fetchFn } = recordingFetch(() => json({ ok: true, value: [] }));
    const bridge = createBrowserBridge({ token: 't0k', fetch: fetchFn, EventSource: FakeEventSource });
    const result = await bridge.api.cases.list({});
    expect(result).toEqual({ ok: true, value: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/api/invoke');
    expect(calls[0]!.init.method).toBe('POST');
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer t0k');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ channel: 'cases.list', input: {} });
  });

  it('passes error envelopes through and turns transport failures into envelopes', async () => {
    const err = { ok: false, error: { code: 'NO_PROFILE', message: 'Set your examiner profile first' } };
    const passthrough = createBrowserBridge({ token: 't', fetch: recordingFetch(() => json(err)).fetchFn, EventSource: FakeEventSource });
    expect(await passthrough.api.cases.list({})).toEqual(err);

    const refused = createBrowserBridge({ token: 't', fetch: recordingFetch(() => json({}, 401)).fetchFn, EventSource: FakeEventSource });
    expect(await refused.api.cases.list({})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('npm run serve') } });

    const down = createBrowserBridge({
      token: 't',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
      EventSource: FakeEventSource,
    });
    expect(await down.api.app.info({})).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('Cannot reach') } });

    const html = createBrowserBridge({ token: 't', fetch: recordingFetch(() => new Response('<html>', { status: 502 })).fetchFn, EventSource: FakeEventSource });
    expect(await html.api.app.info({})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('does not call the host without a token', async () => {
    const { calls, fetchFn } = recordingFetch(() => json({ ok: true, value: null }));
    const bridge = createBrowserBridge({ token: null, fetch: fetchFn, EventSource: FakeEventSource });
    expect(await bridge.api.app.info({})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toHaveLength(0);
  });

  it('streams events while someone listens, reports its health and resyncs after a reconnect', () => {
    const bridge = createBrowserBridge({ token: 'a b', fetch: recordingFetch(() => json({})).fetchFn, EventSource: FakeEventSource });
    const states: ConnectionState[] = [];
    bridge.onConnectionChange((s) => states.push(s));
    const got: AppEvent[] = [];
    const off = bridge.onEvent((e) => got.push(e));
    const es = FakeEventSource.last!;
    expect(es.url).toBe('/api/events?token=a%20b');
    es.open();
    es.send({ kind: 'case.changed', caseId: 'c1', what: 'notes' });
    es.onmessage?.({ data: 'not json' } as MessageEvent);
    expect(got).toEqual([{ kind: 'case.changed', caseId: 'c1', what: 'notes' }]);

    es.drop();
    es.open();
    // Events may have been missed while disconnected: every case seen is told to refetch.
    expect(got.at(-1)).toEqual({ kind: 'case.changed', caseId: 'c1', what: 'case' });

    off();
    expect(es.closed).toBe(true);
    expect(states).toEqual(['idle', 'connecting', 'open', 'retrying', 'open', 'idle']);
  });
});

describe('event topics', () => {
  const job = { id: 'j', state: 'succeeded' } as Job;
  it('refreshes a view only for its case and its topics; job changes count for artifacts and custody', () => {
    expect(touches({ kind: 'case.changed', caseId: 'c', what: 'notes' }, 'c', 'notes')).toBe(true);
    expect(touches({ kind: 'case.changed', caseId: 'c', what: 'notes' }, 'c', 'custody')).toBe(false);
    expect(touches({ kind: 'case.changed', caseId: 'c', what: 'case' }, 'c', 'custody')).toBe(true);
    expect(touches({ kind: 'case.changed', caseId: 'other', what: 'notes' }, 'c', 'notes')).toBe(false);
    expect(touches({ kind: 'job.changed', caseId: 'c', job }, 'c', 'artifacts')).toBe(true);
    expect(touches({ kind: 'job.changed', caseId: 'c', job }, 'c', 'custody')).toBe(true);
    expect(touches({ kind: 'job.changed', caseId: 'c', job }, 'c', 'notes')).toBe(false);
    expect(
      touches({ kind: 'job.progress', caseId: 'c', jobId: 'j', progress: {} as never }, 'c', 'artifacts'),
    ).toBe(false);
  });
});
