import { describe, expect, it, vi } from 'vitest';
import { bindIpc, isTrustedSender, type IpcDeps } from '../../main/electron/ipc.js';
import { EVENT_CHANNEL, PICK_FILE_CHANNEL, PICK_FOLDER_CHANNEL } from '../../main/electron/ipc-channels.js';
import { channelNames } from '../../shared/contract.js';
import type { Envelope } from '../../shared/envelope.js';
import type { AppEvent } from '../../shared/events.js';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

const frame = (url: string, processId = 4, routingId = 1, parent: FakeFrame | null = null): FakeFrame => ({
  url,
  parent,
  processId,
  routingId,
});

function setup() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
  const listeners = new Set<(ev: AppEvent) => void>();
  const app = {
    invoke: vi.fn(async (channel: string, input: unknown): Promise<Envelope<unknown>> => ({
      ok: true,
      value: { channel, input },
    })),
    onEvent: vi.fn((cb: (ev: AppEvent) => void) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    }),
  };
  const mainFrame = frame('app://caseward/index.html');
  const sent: unknown[][] = [];
  let destroyed = false;
  const window = {
    isDestroyed: () => destroyed,
    webContents: { mainFrame, isDestroyed: () => destroyed, send: (...args: unknown[]) => sent.push(args) },
  };
  let current: typeof window | null = window;
  const showOpenDialog = vi.fn(async (_window: unknown, _options: { properties?: string[] }) => ({
    canceled: false,
    filePaths: ['/evidence/disk.raw'],
  }));
  const deps = {
    ipcMain,
    app,
    getWindow: () => current,
    showOpenDialog,
  } as unknown as IpcDeps;
  const unbind = bindIpc(deps);
  return {
    handlers,
    ipcMain,
    app,
    listeners,
    mainFrame,
    sent,
    showOpenDialog,
    unbind,
    call: (channel: string, senderFrame: unknown, input?: unknown) => {
      const fn = handlers.get(channel);
      if (!fn) throw new Error(`no handler for ${channel}`);
      return fn({ senderFrame }, input) as Promise<Envelope<unknown>>;
    },
    destroy: () => {
      destroyed = true;
    },
    closeWindow: () => {
      current = null;
    },
  };
}

describe('bindIpc', () => {
  it('registers exactly the contract channels plus the two dialogs', () => {
    const t = setup();
    expect([...t.handlers.keys()].sort()).toEqual([...channelNames, PICK_FILE_CHANNEL, PICK_FOLDER_CHANNEL].sort());
  });

  it('passes a trusted call to app.invoke with its own channel and the input untouched', async () => {
    const t = setup();
    const input = { number: 'C-1', title: 'Breach' };
    const res = await t.call('cases.create', t.mainFrame, input);
    expect(res).toEqual({ ok: true, value: { channel: 'cases.create', input } });
    expect(t.app.invoke).toHaveBeenCalledWith('cases.create', input);
  });

  it('accepts the same frame seen through a different WebFrameMain object', async () => {
    const t = setup();
    const res = await t.call('app.info', frame('app://caseward/index.html#/cases'), {});
    expect(res.ok).toBe(true);
  });

  const forged: [string, (main: FakeFrame) => unknown][] = [
    ['no sender frame (navigated or destroyed)', () => null],
    ['a subframe of our page', (main) => frame('app://caseward/index.html', 4, 2, main)],
    ['a frame from another renderer process', () => frame('app://caseward/index.html', 9, 1)],
    ['our main frame after navigating elsewhere', () => frame('https://evil.example/')],
    ['a look-alike origin', () => frame('app://caseward.evil/index.html')],
    ['a file:// page', () => frame('file:///tmp/x.html')],
  ];
  it.each(forged)('refuses %s with FORBIDDEN and never reaches the app', async (_name, make) => {
    const t = setup();
    for (const channel of ['cases.create', 'evidence.add', PICK_FILE_CHANNEL]) {
      const res = await t.call(channel, make(t.mainFrame), { number: 'x', title: 'y' });
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('FORBIDDEN');
    }
    expect(t.app.invoke).not.toHaveBeenCalled();
    expect(t.showOpenDialog).not.toHaveBeenCalled();
  });

  it('refuses everything once the window is destroyed or gone', async () => {
    const t = setup();
    t.destroy();
    expect((await t.call('app.info', t.mainFrame, {})).ok).toBe(false);
    const t2 = setup();
    t2.closeWindow();
    expect((await t2.call('app.info', t2.mainFrame, {})).ok).toBe(false);
  });

  it('turns an unexpected throw from the app into an INTERNAL envelope', async () => {
    const t = setup();
    t.app.invoke.mockRejectedValueOnce(new Error('boom'));
    expect(await t.call('app.info', t.mainFrame, {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('returns the chosen path from the dialogs, or null when cancelled', async () => {
    const t = setup();
    expect(await t.call(PICK_FILE_CHANNEL, t.mainFrame)).toEqual({ ok: true, value: '/evidence/disk.raw' });
    expect(t.showOpenDialog.mock.calls[0]?.[1]).toMatchObject({ properties: expect.arrayContaining(['openFile']) });
    t.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await t.call(PICK_FOLDER_CHANNEL, t.mainFrame)).toEqual({ ok: true, value: null });
    expect(t.showOpenDialog.mock.calls[1]?.[1]).toMatchObject({ properties: expect.arrayContaining(['openDirectory']) });
  });

  it('forwards app events to the window, and stops after unbind', () => {
    const t = setup();
    const ev: AppEvent = { kind: 'case.changed', caseId: 'c1', what: 'notes' };
    for (const cb of t.listeners) cb(ev);
    expect(t.sent).toEqual([[EVENT_CHANNEL, ev]]);
    t.unbind();
    expect(t.listeners.size).toBe(0);
    expect(t.handlers.size).toBe(0);
  });

  it('does not send events to a destroyed window', () => {
    const t = setup();
    t.destroy();
    for (const cb of t.listeners) cb({ kind: 'case.changed', caseId: 'c1', what: 'case' });
    expect(t.sent).toEqual([]);
  });
});

describe('isTrustedSender', () => {
  it('is false without a window', () => {
    expect(isTrustedSender({ senderFrame: null }, null)).toBe(false);
  });
});
