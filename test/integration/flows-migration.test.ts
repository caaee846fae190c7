/**
 * Migration 0030 (flow records) on an empty database and on a case written at schema 20 by an
 * earlier build: the data and custody chain survive, the table is STRICT, append-only and deduped.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../main/core/cases/migrations/index.js';
import * as m0010 from '../../main/core/cases/migrations/0010-initial-schema.js';
import * as m0030 from '../../main/core/cases/migrations/0030-flow-records.js';
import { startHarness, type Harness } from '../support/app-harness.js';

const DEFAULT = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

describe('migration 0030 on an empty database', () => {
  it('creates a STRICT, append-only flow_records with its indexes and the (sha256, line) dedupe key', () => {
    const db = new Database(':memory:');
    try {
      m0010.up(db);
      m0030.up(db);
      expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'flow_records'").pluck().get()).toMatch(/\)\s*STRICT\s*$/);
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'flow_records' AND sql IS NOT NULL").pluck().all();
      expect(indexes.sort()).toEqual(Object.keys(m0030.FLOW_RECORD_INDEXES).sort());
      db.prepare(
        `INSERT INTO artifacts (id, kind, state, storage, name, description, source_path, stored_path, added_by, added_at)
         VALUES ('a1', 'file', 'pending', 'copied', 'n', '', 's', 'd', 'e', 't')`,
      ).run();
      const insert = db.prepare(
        "INSERT OR IGNORE INTO flow_records (start_time, extra, source_artifact_id, source_sha256, line, ingest_job_id) VALUES ('2026-03-01T00:00:00.000Z', '{}', 'a1', 'h', ?, 'j')",
      );
      expect(insert.run(2).changes).toBe(1);
      expect(insert.run(2).changes).toBe(0);
      expect(() => db.prepare("UPDATE flow_records SET srcaddr = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM flow_records').run()).toThrow(/append-only/);
      expect(() => db.prepare("INSERT INTO flow_records (start_time, extra, source_artifact_id, source_sha256, line, ingest_job_id, action) VALUES ('t', '{}', 'a1', 'h', 3, 'j', 'ALLOW')").run()).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});

describe('migration 0030 on a schema-20 case', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('keeps the earlier data and chain, and ingests flows afterwards', async () => {
    const at = migrations.findIndex((m) => m.version === 30);
    const later = migrations.splice(at);
    let c;
    let artifactId: string;
    try {
      c = await h.call('cases.create', { number: 'IR-OLD20', title: 'Made at schema 20' });
      const file = path.join(h.root, 'flows.log');
      fs.writeFileSync(file, `${DEFAULT}\n2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 60 1772323200 1772323260 ACCEPT OK\n`);
      const r = await h.call('evidence.add', { caseId: c.id, sourcePath: file, mode: 'copy' });
      expect((await h.waitJob(c.id, r.jobId)).state).toBe('succeeded');
      artifactId = r.artifactId;
      await h.call('cases.close', { caseId: c.id });
    } finally {
      migrations.push(...later);
    }
    const dbFile = path.join(c.path, 'case.sqlite');
    const before = new Database(dbFile, { readonly: true });
    const v20 = {
      version: before.pragma('user_version', { simple: true }),
      custody: before.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all(),
      tables: before.prepare("SELECT name FROM sqlite_schema WHERE name = 'flow_records'").all(),
    };
    before.close();
    expect(v20.version).toBe(20);
    expect(v20.tables).toEqual([]);

    const opened = await h.call('cases.open', { path: c.path });
    expect(opened.schemaVersion).toBeGreaterThanOrEqual(30);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
    const { jobId } = await h.call('flows.ingest', { caseId: c.id, artifactIds: [artifactId!] });
    expect((await h.waitJob(c.id, jobId)).result).toMatchObject({ totals: { records: 1, inserted: 1 } });
    await h.call('cases.close', { caseId: c.id });
    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all().slice(0, v20.custody.length)).toEqual(v20.custody);
      expect(db.prepare('SELECT count(*) FROM flow_records').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });
});
