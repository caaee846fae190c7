/**
 * Migration 0020 (CloudTrail events) on top of a case written at schema 10 by an earlier
 * version: the case's data and custody chain survive, and the new tables work.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations, SCHEMA_VERSION } from '../../main/core/cases/migrations/index.js';
import { CT_EVENT_INDEXES } from '../../main/core/cases/migrations/0020-cloudtrail-events.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { writeSyntheticFiles } from '../support/logs-synthetic.js';

describe('migration 0020 on a schema-10 case', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('keeps the earlier data and chain, adds the timeline tables, and ingests into them', async () => {
    // Make the case as a build that only knew migration 0010 would.
    const later = migrations.splice(1);
    let c;
    let artifactId: string;
    try {
      c = await h.call('cases.create', { number: 'IR-OLD', title: 'Made at schema 10' });
      const [file] = writeSyntheticFiles(path.join(h.root, 'logs'), 500, 500);
      const r = await h.call('evidence.add', { caseId: c.id, sourcePath: file!, mode: 'copy' });
      expect((await h.waitJob(c.id, r.jobId)).state).toBe('succeeded');
      artifactId = r.artifactId;
      await h.call('notes.create', { caseId: c.id, title: 'Before upgrade', body: 'kept' });
      await h.call('cases.close', { caseId: c.id });
    } finally {
      migrations.push(...later);
    }
    const dbFile = path.join(c.path, 'case.sqlite');
    const before = new Database(dbFile, { readonly: true });
    const v10 = {
      version: before.pragma('user_version', { simple: true }),
      custody: before.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all(),
      artifacts: before.prepare('SELECT * FROM artifacts').all(),
      tables: before.prepare("SELECT name FROM sqlite_schema WHERE name LIKE 'ct_%'").all(),
    };
    before.close();
    expect(v10.version).toBe(10);
    expect(v10.tables).toEqual([]);

    const opened = await h.call('cases.open', { path: c.path });
    expect(opened.schemaVersion).toBe(SCHEMA_VERSION);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
    expect((await h.call('notes.list', { caseId: c.id })).map((n) => n.body)).toEqual(['kept']);
    const { jobId } = await h.call('logs.ingest', { caseId: c.id, artifactIds: [artifactId!] });
    expect((await h.waitJob(c.id, jobId)).result).toMatchObject({ totals: { records: 500, inserted: 500 } });
    await h.call('cases.close', { caseId: c.id });

    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const custody = db.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all();
      expect(custody.slice(0, v10.custody.length)).toEqual(v10.custody);
      // Later migrations may add columns (0040: cloud references); the version-10 values must be unchanged.
      const columns = Object.keys((v10.artifacts as Record<string, unknown>[])[0] ?? {}).join(', ');
      expect(db.prepare(`SELECT ${columns} FROM artifacts`).all()).toEqual(v10.artifacts);
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name IN ('ct_events', 'ct_text_index')").pluck().all() as string[];
      expect(sql).toHaveLength(2);
      for (const s of sql) expect(s).toMatch(/\)\s*STRICT\s*$/);
      const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'ct_events' AND sql IS NOT NULL").pluck().all();
      expect(indexes.sort()).toEqual(Object.keys(CT_EVENT_INDEXES).sort());
    } finally {
      db.close();
    }
    expect(fs.existsSync(dbFile)).toBe(true);
  });

  it('makes stored events append-only', async () => {
    const c = await h.call('cases.create', { number: 'IR-AO', title: 'Append only' });
    const [file] = writeSyntheticFiles(path.join(h.root, 'logs'), 10, 10);
    const r = await h.call('evidence.add', { caseId: c.id, sourcePath: file!, mode: 'copy' });
    await h.waitJob(c.id, r.jobId);
    await h.waitJob(c.id, (await h.call('logs.ingest', { caseId: c.id, artifactIds: [r.artifactId] })).jobId);
    await h.call('cases.close', { caseId: c.id });
    const db = new Database(path.join(c.path, 'case.sqlite'));
    try {
      expect(() => db.prepare("UPDATE ct_events SET event_name = 'x'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM ct_events').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT count(*) FROM ct_events').pluck().get()).toBe(10);
    } finally {
      db.close();
    }
  });
});
