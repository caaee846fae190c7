/**
 * Opening what is not a healthy case, creating over existing files, and malformed requests:
 * each a clear error, and not one byte of the examiner's files changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../main/core/cases/migrations/index.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { folderListing, sha256OfFile } from '../support/evidence-files.js';

/**
 * The folder's entries, leaving out the -shm index and an empty -wal: SQLite creates those when it
 * reads a WAL-mode database, even read-only. A -wal with content would mean something was written.
 */
function withoutSqliteSideFiles(folder: string): string[] {
  return folderListing(folder).filter((e) => !/^case\.sqlite-shm /.test(e) && e !== 'case.sqlite-wal 0');
}

describe('opening and creating cases with bad input', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.dispose();
  });

  /** A real case, closed, whose database the test then damages. */
  async function closedCase(number: string): Promise<{ folder: string; dbFile: string }> {
    const c = await h.call('cases.create', { number, title: 'To be damaged' });
    await h.call('cases.close', { caseId: c.id });
    return { folder: c.path, dbFile: path.join(c.path, 'case.sqlite') };
  }

  /** Opens the folder expecting `code`; the database's bytes and the folder's entries must not change. */
  async function refusedOpen(folder: string, code: string) {
    const dbFile = path.join(folder, 'case.sqlite');
    const digest = fs.existsSync(dbFile) ? sha256OfFile(dbFile) : null;
    const listing = fs.existsSync(folder) ? withoutSqliteSideFiles(folder) : null;
    const e = await h.fail('cases.open', { path: folder });
    expect(e.code, e.message).toBe(code);
    if (digest) expect(sha256OfFile(dbFile)).toBe(digest);
    if (listing) expect(withoutSqliteSideFiles(folder)).toEqual(listing);
    else expect(fs.existsSync(folder)).toBe(false);
    expect((await h.call('cases.list', {})).filter((x) => x.open)).toEqual([]);
    return e;
  }

  it('a case from a newer Caseward (user_version above ours) is CASE_TOO_NEW and left unchanged', async () => {
    const { folder, dbFile } = await closedCase('IR-NEW');
    const db = new Database(dbFile);
    db.pragma(`user_version = ${SCHEMA_VERSION + 10}`);
    db.close();
    const e = await refusedOpen(folder, 'CASE_TOO_NEW');
    expect(e.message).toContain(String(SCHEMA_VERSION + 10));
    expect(e.message).toContain(folder);
  });

  it('a case database with a garbage page in the middle is CASE_CORRUPT and left unchanged', async () => {
    const { folder, dbFile } = await closedCase('IR-PAGE');
    const db = new Database(dbFile, { readonly: true });
    const page = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'custody_events'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    expect(page).toBeGreaterThan(1);
    expect(page).toBeLessThan(pages);
    const fd = fs.openSync(dbFile, 'r+');
    fs.writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
    fs.closeSync(fd);
    const e = await refusedOpen(folder, 'CASE_CORRUPT');
    expect(e.message).toContain(dbFile);
  });

  it('a case.sqlite of random bytes is CASE_CORRUPT and left unchanged', async () => {
    const folder = path.join(h.root, 'random');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'case.sqlite'), randomBytes(64 * 1024));
    const e = await refusedOpen(folder, 'CASE_CORRUPT');
    expect(e.message).toContain(path.join(folder, 'case.sqlite'));
  });

  it('an empty case.sqlite (0 bytes) is CASE_CORRUPT and stays empty', async () => {
    const folder = path.join(h.root, 'empty-db');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'case.sqlite'), '');
    await refusedOpen(folder, 'CASE_CORRUPT');
    expect(fs.statSync(path.join(folder, 'case.sqlite')).size).toBe(0);
  });

  it('a plain SQLite database that is not a case is CASE_CORRUPT and left unchanged', async () => {
    const folder = path.join(h.root, 'other-app');
    fs.mkdirSync(folder);
    const db = new Database(path.join(folder, 'case.sqlite'));
    db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('someone else''s data');");
    db.close();
    const e = await refusedOpen(folder, 'CASE_CORRUPT');
    expect(e.message).toContain(path.join(folder, 'case.sqlite'));
  });

  it('a folder without case.sqlite is NOT_FOUND, and nothing is created in it', async () => {
    const folder = path.join(h.root, 'just-files');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'readme.txt'), 'not a case');
    const e = await refusedOpen(folder, 'NOT_FOUND');
    expect(e.message).toContain(folder);
  });

  it('a folder that does not exist is NOT_FOUND and is not created', async () => {
    const folder = path.join(h.root, 'nowhere', 'case');
    const e = await refusedOpen(folder, 'NOT_FOUND');
    expect(e.message).toContain(folder);
    expect(fs.existsSync(path.join(h.root, 'nowhere'))).toBe(false);
  });

  it('a path that is a file is NOT_A_FILE, and the file is untouched', async () => {
    const file = path.join(h.root, 'case.sqlite');
    fs.writeFileSync(file, 'not a folder');
    const e = await h.fail('cases.open', { path: file });
    expect(e.code, e.message).toBe('NOT_A_FILE');
    expect(e.message).toContain(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('creating a case in a non-empty folder is EXISTS, and its files are untouched', async () => {
    const folder = path.join(h.root, 'busy');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'interview.txt'), 'someone else was here');
    const listing = folderListing(folder);
    const digest = sha256OfFile(path.join(folder, 'interview.txt'));
    const e = await h.fail('cases.create', { number: 'IR-BUSY', title: 'Clash', path: folder });
    expect(e.code).toBe('EXISTS');
    expect(e.message).toContain(folder);
    expect(folderListing(folder)).toEqual(listing);
    expect(sha256OfFile(path.join(folder, 'interview.txt'))).toBe(digest);
  });

  it('creating a case where a file is, is EXISTS, and the file is untouched', async () => {
    const file = path.join(h.root, 'a-file');
    fs.writeFileSync(file, 'keep me');
    const e = await h.fail('cases.create', { number: 'IR-FILE', title: 'Clash', path: file });
    expect(e.code).toBe('EXISTS');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('malformed requests are INVALID_INPUT and create nothing', async () => {
    const bad: [string, unknown, RegExp?][] = [
      ['cases.create', { number: '', title: 'No number' }, /number/i],
      ['cases.create', { number: '   ', title: 'Blank number' }, /number/i],
      ['cases.create', { number: 'IR-TZ', title: 'Zone', timeZone: 'Mars/Olympus_Mons' }, /Mars\/Olympus_Mons/],
      ['cases.create', { number: 42, title: 'Number as a number' }, /number/],
      ['cases.create', null],
      ['cases.create', ['IR-1', 'array']],
      ['cases.open', { path: 123 }, /path/],
      ['cases.open', { path: '' }, /path/],
      ['evidence.add', { caseId: 'x', sourcePath: '/etc/hostname', mode: 'move' }, /mode/],
      ['custody.list', { caseId: 'x', limit: 1.5 }, /limit/],
      ['custody.list', { caseId: 'x', offset: -1 }, /offset/],
      ['evidence.verify', { caseId: 'x', artifactIds: 'all' }, /artifactIds/],
      ['settings.setProfile', { name: ' ', organisation: 'Org' }, /name/i],
      ['nope.x', {}, /nope\.x/],
      ['__proto__', {}],
      ['constructor', {}],
      ['toString', {}],
    ];
    for (const [channel, input, names] of bad) {
      const env = await h.app.invoke(channel, input);
      expect(env.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
      if (env.ok) continue;
      expect(env.error.code, `${channel} ${JSON.stringify(input)}: ${env.error.message}`).toBe('INVALID_INPUT');
      if (names) expect(env.error.message).toMatch(names);
    }
    expect(fs.existsSync(h.casesDir) ? fs.readdirSync(h.casesDir) : []).toEqual([]);
    expect(await h.call('cases.list', {})).toEqual([]);
    expect((await h.call('settings.getProfile', {}))?.name).toBe('Dana Examiner');
  });
});
