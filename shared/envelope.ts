/** The result envelope every door returns: Electron carries only an error's message, so errors travel as data. */
import type { ErrorInfo } from './errors.js';

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
