import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bridge } from '../../shared/bridge.js';
import { channelNames } from '../../shared/contract.js';

// The preload runs in Electron's sandbox; here 'electron' is replaced by a recorder so the exposed
// object can be exercised exactly as the page would see it.
const exposed = new Map<string, unknown>();
const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke: vi.fn(async (channel: string, input?: unknown): Promise<unknown> => ({ ok: true, value: { channel, input } })),
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer,
}));

let bridge: Bridge;
beforeAll(async () => {
  await import('../../main/electron/preload.js');
  bridge = exposed.get('caseward') as Bridge;
});

describe('preload bridge', () => {
  it('exposes only window.caseward, with api, onEvent and the two dialogs', () => {
    expect([...exposed.keys()]).toEqual(['caseward']);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'onEvent', 'pickFile', 'pickFolder']);
  });

  it('has one function per contract channel and no generic send', async () => {
    const api = bridge.api as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
    const names = Object.entries(api).flatMap(([domain, verbs]) => Object.keys(verbs).map((v) => `${domain}.${v}`));
    expect(names.sort()).toEqual([...channelNames].sort());
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/send|invoke|ipc/i);
  });

  it('invokes the matching IPC channel with the input', async () => {
    const res = await bridge.api.cases.open({ path: '/cases/C-1' });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('cases.open', { path: '/cases/C-1' });
    expect(res).toEqual({ ok: true, value: { channel: 'cases.open', input: { path: '/cases/C-1' } } });
  });

  it('turns a transport failure into an error envelope', async () => {
    ipcRenderer.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    const res = await bridge.api.app.info({});
    expect(res).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'An object could not be cloned.' } });
  });

  it('delivers events and unsubscribes exactly its own listener', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.onEvent(a);
    bridge.onEvent(b);
    const ev = { kind: 'case.changed', caseId: 'c', what: 'notes' };
    ipcRenderer.emit('caseward:event', {}, ev);
    offA();
    ipcRenderer.emit('caseward:event', {}, ev);
    expect(a).toHaveBeenCalledTimes(1);
    expect(a).toHaveBeenCalledWith(ev);
    expect(b).toHaveBeenCalledTimes(2);
    expect(ipcRenderer.listenerCount('caseward:event')).toBe(1);
  });

  it('unwraps dialog results and throws on a refusal', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: '/evidence/a.E01' });
    expect(await bridge.pickFile?.()).toBe('/evidence/a.E01');
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('caseward:pick-file');
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: null });
    expect(await bridge.pickFolder?.()).toBeNull();
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'FORBIDDEN', message: 'no' } });
    await expect(bridge.pickFile?.()).rejects.toThrow('FORBIDDEN');
  });
});
