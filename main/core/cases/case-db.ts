/** Opening, creating and migrating a case's SQLite database, refusing what we must not touch. */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { migrations, SCHEMA_VERSION } from './migrations/index.js';

/** "CSWD": marks a SQLite file as a Caseward case database. */
export const APPLICATION_ID = 0x43535744;

export type CaseDb = Database.Database;

function options(extra: Database.Options = {}): Database.Options {
  // In `npm start` (Electron from source) the Node build of better-sqlite3 cannot load; the
  // start script builds one for Electron's ABI and passes its path here.
  const binding = process.env.CASEWARD_SQLITE_BINDING;
  return binding ? { ...extra, nativeBinding: binding } : extra;
}

function configure(db: CaseDb): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Evidence records must survive a power cut: every commit reaches the disk.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
}

/** Creates a new, empty case database at `file` (which must not exist). */
export function createCaseDb(file: string): CaseDb {
  if (fs.existsSync(file)) throw new AppError('EXISTS', `A case database already exists at ${file}`);
  const db = new Database(file, options());
  try {
    // Set before the first table: CloudTrail rows (~2.6 KB each) fill a 4 KiB page alone, and 16 KiB
    // pages halve the CPU of inserting and indexing them (docs/timeline.md, "Bench figures").
    db.pragma('page_size = 16384');
    configure(db);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    migrate(db, 0);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens an existing case database. It is inspected read-only first, so a corrupt file or one
 * from a newer Caseward is refused without a single byte written to it.
 */
export function openCaseDb(file: string): CaseDb {
  if (!fs.existsSync(file)) {
    throw new AppError('NOT_FOUND', `No case database at ${file}: this folder is not a Caseward case`);
  }
  const version = inspect(file);
  const db = new Database(file, options({ fileMustExist: true }));
  try {
    configure(db);
    if (version < SCHEMA_VERSION) migrate(db, version);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function inspect(file: string): number {
  const header = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1') !== 'SQLite format 3\0') {
    throw new AppError('CASE_CORRUPT', `${file} is not a SQLite database (damaged or not a case file); it was left unchanged`);
  }
  let db: CaseDb | undefined;
  // Even a read-only look at a WAL database makes -wal and -shm files; remove any we made.
  const sidecars = [`${file}-wal`, `${file}-shm`].filter((f) => !fs.existsSync(f));
  try {
    db = new Database(file, options({ readonly: true, fileMustExist: true }));
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new AppError('CASE_CORRUPT', `The case database ${file} is damaged (${String(check)}); it was left unchanged. Restore it from a backup copy.`);
    }
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID) {
      throw new AppError('CASE_CORRUPT', `${file} is a SQLite database but not a Caseward case; it was left unchanged`);
    }
    if (version > SCHEMA_VERSION) {
      throw new AppError(
        'CASE_TOO_NEW',
        `${file} was written by a newer Caseward (case schema ${version}; this version understands up to ${SCHEMA_VERSION}). Update Caseward to open it; the case was left unchanged.`,
      );
    }
    return version;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('CASE_CORRUPT', `The case database ${file} cannot be read (${(err as Error).message}); it was left unchanged`, { cause: err });
  } finally {
    db?.close();
    for (const f of sidecars) fs.rmSync(f, { force: true });
  }
}

/** Applies every migration newer than `from` in one transaction. */
function migrate(db: CaseDb, from: number): void {
  const pending = migrations.filter((m) => m.version > from);
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}
