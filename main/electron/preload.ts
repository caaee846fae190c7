/**
 * The sandboxed preload: exposes `window.caseward` (shared/bridge.ts) and nothing else.
 * Checklist "Do not expose Electron APIs to untrusted web content": no ipcRenderer, no generic send;
 * only the contract's channels, one function each. Bundled to CJS that requires only 'electron'.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildDomainApi, type Bridge } from '../../shared/bridge.js';
import type { Channel } from '../../shared/contract.js';
import type { Envelope } from '../../shared/envelope.js';
import type { AppEvent } from '../../shared/events.js';
import { EVENT_CHANNEL, PICK_FILE_CHANNEL, PICK_FOLDER_CHANNEL } from './ipc-channels.js';

async function invoke(channel: Channel, input: unknown): Promise<Envelope<unknown>> {
  try {
    return (await ipcRenderer.invoke(channel, input)) as Envelope<unknown>;
  } catch (err) {
    // Only transport failures land here (e.g. an input that cannot be structured-cloned).
    return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
  }
}

async function pick(channel: string): Promise<string | null> {
  const result = (await ipcRenderer.invoke(channel)) as Envelope<string | null>;
  if (result.ok) return result.value;
  throw new Error(`${result.error.code}: ${result.error.message}`);
}

const bridge: Bridge = {
  api: buildDomainApi(invoke),
  onEvent(cb: (event: AppEvent) => void): () => void {
    // One listener per subscription, so unsubscribing removes exactly this one.
    const listener = (_event: IpcRendererEvent, payload: AppEvent): void => cb(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
  pickFile: () => pick(PICK_FILE_CHANNEL),
  pickFolder: () => pick(PICK_FOLDER_CHANNEL),
};

contextBridge.exposeInMainWorld('caseward', bridge);
