/** IPC channel names beyond the contract's own; shared by ipc.ts (main) and preload.ts, imports nothing. */

/** Main pushes AppEvents on this channel; the preload listens to it and nothing else. */
export const EVENT_CHANNEL = 'caseward:event';
/** Native open-file dialog (Electron door only). */
export const PICK_FILE_CHANNEL = 'caseward:pick-file';
/** Native choose-folder dialog (Electron door only). */
export const PICK_FOLDER_CHANNEL = 'caseward:pick-folder';
