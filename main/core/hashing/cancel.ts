import { AppError } from '../../../shared/errors.js';

/** The error every hashing call rejects with once its AbortSignal fires. */
export function cancelled(filePath: string): AppError {
  return new AppError('CANCELLED', `Hashing of ${filePath} was cancelled; no hashes were recorded.`);
}
