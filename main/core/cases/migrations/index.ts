/** Ordered migrations; the database's PRAGMA user_version is the last one applied. */
import type { Database } from 'better-sqlite3';
import * as m0010 from './0010-initial-schema.js';
import * as m0020 from './0020-cloudtrail-events.js';
import * as m0030 from './0030-flow-records.js';
import * as m0040 from './0040-cloud-ref-artifacts.js';

export interface Migration {
  version: number;
  up(db: Database): void;
}

export const migrations: Migration[] = [
  { version: 10, up: m0010.up },
  { version: 20, up: m0020.up },
  { version: 30, up: m0030.up },
  { version: 40, up: m0040.up },
];

/** The schema version this build writes and understands. */
export const SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
