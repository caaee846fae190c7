/**
 * Migration 0040 (cloud-ref artifacts) on a case written at schema 30, the shape rules of the new
 * kind, and tamper-evidence: an edited cloud reference is named by custody.verifyChain.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../main/core/cases/migrations/index.js';
import { openCaseDb } from '../../main/core/cases/case-db.js';
import { verifyChain } from '../../main/core/custody/verify-chain.js';
import { listArtifacts } from '../../main/core/evidence/artifacts.repo.js';
import { sealCloudRef } from '../../main/core/evidence/seal-cloud-ref.js';
import { startHarness, type Harness } from '../support/app-harness.js';

const actor = { examiner: 'Test Examiner', workstation: 'ws-1' };
const ref = {
  provider: 'aws' as const,
  region: 'us-east-1',
  account: '111122223333',
  resourceId: 'snap-0123456789abcdef0',
  resourceType: 'ebs-snapshot' as const,
  metadata: { volumeId: 'vol-0123456789abcdef0', sizeGiB: 8, encrypted: true, kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k', completionTime: '2026-01-01T00:00:00.000Z' },
};

describe('migration 0040 on a schema-30 case', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('keeps every earlier row byte for byte, widens the kinds, and the chain still verifies', async () => {
    const at = migrations.findIndex((m) => m.version === 40);
    const later = migrations.splice(at);
    let c;
    try {
      c = await h.call('cases.create', { number: 'IR-OLD30', title: 'Made at schema 30' });
      const file = path.join(h.root, 'note.txt');
      fs.writeFileSync(file, 'evidence\n');
      const r = await h.call('evidence.add', { caseId: c.id, sourcePath: file, mode: 'copy' });
      expect((await h.waitJob(c.id, r.jobId)).state).toBe('succeeded');
      await h.call('cases.close', { caseId: c.id });
    } finally {
      migrations.push(...later);
    }
    const dbFile = path.join(c.path, 'case.sqlite');
    const before = new Database(dbFile, { readonly: true });
    const v30 = {
      version: before.pragma('user_version', { simple: true }),
      artifacts: before.prepare('SELECT * FROM artifacts ORDER BY id').all(),
      custody: before.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all(),
    };
    before.close();
    expect(v30.version).toBe(30);

    const opened = await h.call('cases.open', { path: c.path });
    expect(opened.schemaVersion).toBeGreaterThanOrEqual(40);
    expect((await h.call('custody.verifyChain', { caseId: c.id })).ok).toBe(true);
    const listed = await h.call('evidence.list', { caseId: c.id });
    expect(listed.map((a) => [a.kind, a.cloud])).toEqual([['file', null]]);
    await h.call('cases.close', { caseId: c.id });

    const db = new Database(dbFile);
    try {
      const cols = ['id', 'kind', 'state', 'storage', 'name', 'description', 'source_path', 'stored_path', 'size', 'md5', 'sha1', 'sha256', 'added_by', 'added_at', 'hashed_at'];
      expect(db.prepare(`SELECT ${cols.join(', ')} FROM artifacts ORDER BY id`).all()).toEqual(v30.artifacts);
      expect(db.prepare('SELECT seq, hash FROM custody_events ORDER BY seq').all().slice(0, v30.custody.length)).toEqual(v30.custody);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const insert = (kind: string, storage: string, extra: string) =>
        db.prepare(`INSERT INTO artifacts (id, kind, state, storage, name, description, source_path, stored_path, added_by, added_at${extra ? ', cloud_provider, cloud_region, cloud_account, cloud_resource_id, cloud_metadata' : ''}, sha256)
          VALUES ('x-${kind}-${storage}', '${kind}', 'complete', '${storage}', 'n', '', 's', '', 'e', 't'${extra}, NULL)`);
      const cloud = ", 'aws', 'us-east-1', '111122223333', 'snap-1', '{}'";
      expect(() => insert('other', 'cloud', cloud).run()).toThrow(/CHECK constraint/);
      expect(() => insert('file', 'cloud', '').run()).toThrow(/no cloud reference/);
      expect(() => insert('cloud-ref', 'copied', cloud).run()).toThrow(/cloud-ref artifact/);
      expect(() => insert('cloud-ref', 'cloud', '').run()).toThrow(/cloud-ref artifact/);
      expect(insert('cloud-ref', 'cloud', cloud).run().changes).toBe(1);
      expect(() => db.prepare("UPDATE artifacts SET cloud_metadata = '{\"a\":1}' WHERE id = 'x-cloud-ref-cloud'").run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
  });
});

describe('a sealed cloud reference', () => {
  let h: Harness;
  let dbFile: string;
  beforeEach(async () => {
    h = await startHarness();
    const c = await h.call('cases.create', { number: 'IR-REF', title: 'Cloud refs' });
    await h.call('cases.close', { caseId: c.id });
    dbFile = path.join(c.path, 'case.sqlite');
  });
  afterEach(async () => {
    await h.dispose();
  });

  it('is recorded once, with no size or hashes, and any edit to the reference breaks verification', () => {
    const db = openCaseDb(dbFile);
    try {
      const first = sealCloudRef(db, actor, { name: 'EBS snapshot snap-0123456789abcdef0', description: 'root', ref }, 'job-1');
      expect(sealCloudRef(db, actor, { name: 'again', description: '', ref }, 'job-2')).toEqual({ artifactId: first.artifactId, created: false });
      const [a] = listArtifacts(db);
      expect(a).toMatchObject({ kind: 'cloud-ref', storage: 'cloud', size: null, hashes: null, storedPath: '', sourcePath: 'aws:ec2:us-east-1:111122223333:snapshot/snap-0123456789abcdef0' });
      expect(a!.cloud).toMatchObject({ ...ref, lock: null });
      expect(verifyChain(db).ok).toBe(true);

      db.exec('DROP TRIGGER artifacts_final;');
      db.prepare("UPDATE artifacts SET cloud_metadata = json_set(cloud_metadata, '$.sizeGiB', 16) WHERE id = ?").run(first.artifactId);
      db.prepare("UPDATE artifacts SET cloud_resource_id = 'snap-0fffffffffffffff0' WHERE id = ?").run(first.artifactId);
      const v = verifyChain(db);
      expect(v.ok).toBe(false);
      expect(v.problems).toEqual([
        { kind: 'artifact', artifactId: first.artifactId, name: 'EBS snapshot snap-0123456789abcdef0', reason: 'its record differs from the custody chain (resource id, metadata)' },
      ]);
    } finally {
      db.close();
    }
  });
});
