/** Checks a path before any job starts, so the examiner gets a clear answer at once. */
import fs from 'node:fs';
import { AppError } from '../../../shared/errors.js';

/** Returns the size of a readable regular file, or throws a clear AppError. */
export function checkSourceFile(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('FILE_MISSING', `No file at ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('UNREADABLE', `Permission denied reading ${file}`);
    throw new AppError('UNREADABLE', `Cannot read ${file}: ${(err as Error).message}`);
  }
  if (st.isDirectory()) throw new AppError('NOT_A_FILE', `${file} is a folder; add the files inside it one by one`);
  if (!st.isFile()) throw new AppError('NOT_A_FILE', `${file} is not a regular file (device, socket or pipe)`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new AppError('UNREADABLE', `Permission denied reading ${file}`);
  }
  return st.size;
}
