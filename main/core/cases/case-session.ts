/** An open case: its folder, its database and the rows every handler needs. */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { CaseSummary } from '../../../shared/types.js';
import type { ParsedInputOf } from '../../../shared/contract.js';
import { appendEvent, chainHead, nowUtc, type Actor } from '../custody/custody.repo.js';
import { createCaseDb, openCaseDb, type CaseDb } from './case-db.js';
import { SCHEMA_VERSION } from './migrations/index.js';

export const CASE_DB_FILE = 'case.sqlite';
export const EVIDENCE_DIR = 'evidence';
export const EXPORTS_DIR = 'exports';

interface CaseInfoRow {
  id: string;
  number: string;
  title: string;
  client: string;
  description: string;
  examiner: string;
  time_zone: string;
  created_at: string;
}

export class CaseSession {
  constructor(
    readonly path: string,
    readonly db: CaseDb,
    readonly info: CaseInfoRow,
  ) {}

  get id(): string {
    return this.info.id;
  }

  /** Absolute path of a path stored relative to the case folder. */
  resolve(relative: string): string {
    return path.join(this.path, relative);
  }

  summary(): CaseSummary {
    const head = chainHead(this.db);
    const artifacts = this.db.prepare("SELECT count(*) AS n FROM artifacts WHERE state = 'complete'").get() as { n: number };
    return {
      id: this.info.id,
      path: this.path,
      number: this.info.number,
      title: this.info.title,
      client: this.info.client,
      description: this.info.description,
      examiner: this.info.examiner,
      timeZone: this.info.time_zone,
      createdAt: this.info.created_at,
      schemaVersion: SCHEMA_VERSION,
      artifactCount: artifacts.n,
      eventCount: head.count,
      headHash: head.hash,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function readInfo(db: CaseDb, file: string): CaseInfoRow {
  const info = db.prepare('SELECT * FROM case_info').get() as CaseInfoRow | undefined;
  if (!info) throw new AppError('CASE_CORRUPT', `${file} has no case record`);
  return info;
}

/** Checks a time zone name against the runtime's IANA database. */
export function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    throw new AppError('INVALID_INPUT', `Unknown time zone "${zone}" (use an IANA name such as UTC or Europe/London)`);
  }
}

/** Creates the case folder with its database, evidence/ and exports/, and records case.created. */
export function createCase(
  folder: string,
  input: ParsedInputOf<'cases.create'>,
  actor: Actor,
  appVersion: string,
): CaseSession {
  assertTimeZone(input.timeZone);
  const existed = fs.existsSync(folder);
  if (existed && (!fs.statSync(folder).isDirectory() || fs.readdirSync(folder).length > 0)) {
    throw new AppError('EXISTS', `${folder} already exists and is not an empty folder; choose another folder for the new case`);
  }
  fs.mkdirSync(path.join(folder, EVIDENCE_DIR), { recursive: true });
  fs.mkdirSync(path.join(folder, EXPORTS_DIR), { recursive: true });
  const file = path.join(folder, CASE_DB_FILE);
  let db: CaseDb | undefined;
  try {
    db = createCaseDb(file);
    const info: CaseInfoRow = {
      id: randomUUID(),
      number: input.number,
      title: input.title,
      client: input.client,
      description: input.description,
      examiner: actor.examiner,
      time_zone: input.timeZone,
      created_at: nowUtc(),
    };
    const conn = db;
    conn.transaction(() => {
      conn.prepare(
        `INSERT INTO case_info (id, number, title, client, description, examiner, time_zone, created_at, created_with)
         VALUES (@id, @number, @title, @client, @description, @examiner, @time_zone, @created_at, @created_with)`,
      ).run({ ...info, created_with: `Caseward ${appVersion}` });
      appendEvent(conn, actor, {
        action: 'case.created',
        details: {
          caseId: info.id,
          number: info.number,
          title: info.title,
          client: info.client,
          description: info.description,
          examiner: info.examiner,
          timeZone: info.time_zone,
          folder,
          app: `Caseward ${appVersion}`,
        },
      });
    }).immediate();
    return new CaseSession(folder, conn, info);
  } catch (err) {
    db?.close();
    // Only what this call created is removed: a pre-existing empty folder is left in place.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    fs.rmSync(path.join(folder, EVIDENCE_DIR), { recursive: true, force: true });
    fs.rmSync(path.join(folder, EXPORTS_DIR), { recursive: true, force: true });
    if (!existed) fs.rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

/** Refuses a path that is missing or is a file, before anything is written beside it. */
export function assertFolder(folder: string): void {
  if (!fs.existsSync(folder)) throw new AppError('NOT_FOUND', `No folder at ${folder}`);
  if (!fs.statSync(folder).isDirectory()) throw new AppError('NOT_A_FILE', `${folder} is a file; open the case folder that contains case.sqlite`);
}

/** Opens an existing case folder (possibly copied from another workstation). */
export function openCase(folder: string): CaseSession {
  assertFolder(folder);
  const file = path.join(folder, CASE_DB_FILE);
  const db = openCaseDb(file);
  try {
    fs.mkdirSync(path.join(folder, EVIDENCE_DIR), { recursive: true });
    fs.mkdirSync(path.join(folder, EXPORTS_DIR), { recursive: true });
    return new CaseSession(folder, db, readInfo(db, file));
  } catch (err) {
    db.close();
    throw err;
  }
}
