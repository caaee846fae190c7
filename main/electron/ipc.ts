/**
 * Binds every contract channel to ipcMain, behind a sender check, and pushes app events to the window.
 * Validation of the input itself happens in app.invoke, the same for every door.
 * Type-only electron imports: main.ts passes ipcMain and dialog, tests pass fakes with forged senders.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import type { Channel } from '../../shared/contract.js';
import { channelNames } from '../../shared/channel-names.js';
import type { Envelope } from '../../shared/envelope.js';
import { toErrorInfo } from '../../shared/errors.js';
import type { CasewardApp } from '../app.js';
import { APP_ORIGIN } from './app-protocol.js';
import { EVENT_CHANNEL, PICK_FILE_CHANNEL, PICK_FOLDER_CHANNEL } from './ipc-channels.js';

type WindowLike = Pick<BrowserWindow, 'isDestroyed'> & {
  webContents: Pick<BrowserWindow['webContents'], 'mainFrame' | 'send' | 'isDestroyed'>;
};
type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  app: Pick<CasewardApp, 'invoke' | 'onEvent'>;
  /** The one window whose main frame may call us; null while there is none. */
  getWindow: () => WindowLike | null;
  showOpenDialog: (window: BrowserWindow, options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;
}

const forbidden: Envelope<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This request did not come from the Caseward window.' },
};

/**
 * Checklist "Validate the sender of all IPC messages": only our window's top frame, showing our own
 * origin, may call main. A subframe, a navigated page or another window is refused.
 */
export function isTrustedSender(event: SenderEvent, window: WindowLike | null): boolean {
  if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame) return false;
  const main = window.webContents.mainFrame;
  const sameFrame = frame === main || (frame.processId === main.processId && frame.routingId === main.routingId);
  return sameFrame && frame.parent === null && frame.url.startsWith(APP_ORIGIN);
}

/** Registers the handlers and the event forwarder; returns a function that removes them all. */
export function bindIpc(deps: IpcDeps): () => void {
  const { ipcMain, app, getWindow } = deps;

  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!isTrustedSender(event, getWindow())) return forbidden;
      return invokeSafely(app, channel, input);
    });
  }

  const pick = (properties: OpenDialogOptions['properties'], title: string) =>
    async (event: IpcMainInvokeEvent): Promise<Envelope<string | null>> => {
      const window = getWindow();
      if (!isTrustedSender(event, window)) return forbidden;
      try {
        // Modal to our window so the dialog cannot be lost behind it.
        const result = await deps.showOpenDialog(window as BrowserWindow, { title, properties });
        return { ok: true, value: result.canceled ? null : (result.filePaths[0] ?? null) };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    };
  ipcMain.handle(PICK_FILE_CHANNEL, pick(['openFile', 'dontAddToRecent'], 'Choose a file'));
  ipcMain.handle(PICK_FOLDER_CHANNEL, pick(['openDirectory', 'createDirectory', 'dontAddToRecent'], 'Choose a folder'));

  const unsubscribe = app.onEvent((ev) => {
    const window = getWindow();
    if (window && !window.isDestroyed() && !window.webContents.isDestroyed()) {
      window.webContents.send(EVENT_CHANNEL, ev);
    }
  });

  return () => {
    unsubscribe();
    for (const channel of [...channelNames, PICK_FILE_CHANNEL, PICK_FOLDER_CHANNEL]) ipcMain.removeHandler(channel);
  };
}

async function invokeSafely(app: IpcDeps['app'], channel: Channel, input: unknown): Promise<Envelope<unknown>> {
  try {
    return await app.invoke(channel, input);
  } catch (err) {
    // app.invoke promises never to throw; if it does, the renderer still gets an envelope, not a bare rejection.
    return { ok: false, error: toErrorInfo(err) };
  }
}
