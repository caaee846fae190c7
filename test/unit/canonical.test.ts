/**
 * The canonical form of custody events: the rules other languages must reproduce, and proof that
 * SQLite's own json_object over the stored columns yields the same bytes (a verifier needs no Caseward).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEventText, canonicalJson, compareCodePoints, eventHash, GENESIS_HASH } from '../../main/core/custody/canonical.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { PROJECT_ROOT } from '../support/cli-bundle.js';
import { buildSampleCase, readEvents, type SampleCase } from '../support/sample-case.js';
import { haveSqlite3, sqlite3Ok } from '../support/sqlite-cli.js';

interface StoredEvent {
  seq: number;
  at: string;
  examiner: string;
  workstation: string;
  action: string;
  artifact_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function refused(value: unknown, where?: RegExp): void {
  let caught: unknown;
  try {
    canonicalJson(value);
  } catch (err) {
    caught = err;
  }
  expect(caught, `accepted ${String(value)}`).toMatchObject({ code: 'INVALID_INPUT' });
  if (where) expect((caught as Error).message).toMatch(where);
}

describe('canonicalJson', () => {
  it('orders keys by Unicode code point, not by UTF-16 unit or locale', () => {
    // U+1F600 is stored as the surrogates D83D DE00, which sort before U+FFFD as UTF-16 units.
    const text = canonicalJson({ '\u{1F600}': 6, '\uFFFD': 5, é: 4, b: 1, aa: 7, a: 2, B: 3, '': 8 });
    expect(text).toBe('{"":8,"B":3,"a":2,"aa":7,"b":1,"é":4,"\uFFFD":5,"\u{1F600}":6}');
    expect(compareCodePoints('\uFFFD', '\u{1F600}')).toBeLessThan(0);
    expect(compareCodePoints('a', 'aa')).toBeLessThan(0);
    expect(compareCodePoints('Z', 'a')).toBeLessThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  it('sorts nested objects at every depth, keeps array order, and has no whitespace', () => {
    const text = canonicalJson({ z: [{ b: 1, a: [3, 2, 1] }, 'two words', null, true], a: { d: { y: false, x: -7 }, c: 'line\nbreak' } });
    expect(text).toBe('{"a":{"c":"line\\nbreak","d":{"x":-7,"y":false}},"z":[{"a":[3,2,1],"b":1},"two words",null,true]}');
  });

  it('orders integer-like keys as text too ("10" before "9"), whatever JavaScript does with them', () => {
    expect(canonicalJson({ b: 0, 9: 'nine', 10: 'ten', '-1': 'minus' })).toBe('{"-1":"minus","10":"ten","9":"nine","b":0}');
  });

  it('drops properties whose value is undefined; in arrays undefined is null, as in JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: 1, c: { d: undefined } })).toBe('{"b":1,"c":{}}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('accepts safe integers only: floats, NaN, infinities and unsafe integers are refused, naming where', () => {
    expect(canonicalJson({ n: Number.MAX_SAFE_INTEGER, m: -Number.MAX_SAFE_INTEGER, z: 0 })).toBe('{"m":-9007199254740991,"n":9007199254740991,"z":0}');
    refused({ a: [0, { b: 1.5 }] }, /\$\.a\[1\]\.b/);
    refused(0.1);
    refused(Number.NaN);
    refused(Number.POSITIVE_INFINITY);
    refused(2 ** 53);
    refused(1e300);
  });

  it('refuses lone surrogates in values', () => {
    refused('\uD800');
    refused({ s: 'ok \uDC00 not ok' }, /\$\.s/);
    refused(['\uD83D']);
    expect(canonicalJson('\u{1F600}')).toBe('"\u{1F600}"');
  });

  it('refuses lone surrogates in keys too', () => {
    refused({ 'k\uD800': 1 });
  });

  it('refuses values JSON cannot carry', () => {
    refused(10n);
    refused(() => 1);
    refused(Symbol('s'));
  });

  it('refuses objects that are not plain data instead of recording them as {}', () => {
    refused({ at: new Date(0) });
    refused({ m: new Map([['k', 'v']]) });
    refused({ b: Buffer.from('hi') });
  });
});

describe('canonicalEventText and eventHash', () => {
  const event = {
    seq: 1,
    at: '2026-03-01T09:30:00.000Z',
    examiner: 'Dana Examiner (Test IR Ltd, EX-7)',
    workstation: 'forensic-ws-01',
    action: 'case.created',
    artifactId: null,
    details: '{"number":"IR-1","title":"Ünïcode “title”\\nline 2"}',
    prevHash: GENESIS_HASH,
  };

  it('is the worked example: fixed key order, details embedded as JSON, SHA-256 of the UTF-8 text', () => {
    const expected =
      '{"action":"case.created","artifactId":null,"at":"2026-03-01T09:30:00.000Z","details":{"number":"IR-1","title":"Ünïcode “title”\\nline 2"},' +
      `"examiner":"Dana Examiner (Test IR Ltd, EX-7)","prevHash":"${'0'.repeat(64)}","seq":1,"workstation":"forensic-ws-01"}`;
    expect(canonicalEventText(event)).toBe(expected);
    expect(eventHash(event)).toBe(sha256(expected));
  });

  it('changes with every hashed field', () => {
    const base = eventHash(event);
    const variants = [
      { ...event, seq: 2 }, { ...event, at: '2026-03-01T09:30:00.001Z' }, { ...event, examiner: 'X' }, { ...event, workstation: 'Y' },
      { ...event, action: 'case.opened' }, { ...event, artifactId: 'a1' }, { ...event, details: '{"number":"IR-2","title":"t"}' },
      { ...event, prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(eventHash(v)).not.toBe(base);
  });
});

describe.skipIf(!haveSqlite3)("SQLite's json_object over the stored columns", () => {
  let h: Harness;
  let s: SampleCase;
  beforeAll(async () => {
    h = await startHarness();
    s = await buildSampleCase(h, 'IR-CANON');
    const c = await h.call('cases.open', { path: s.folder });
    // Control characters, line and paragraph separators, quotes, backslashes and astral characters.
    await h.call('notes.create', { caseId: c.id, title: 'Odd \u0001\u001f\u007f\u2028\u2029 "q" \\ / </script> é 😀 tab\there', body: 'x' });
    await h.call('cases.close', { caseId: c.id });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('yields exactly canonicalEventText for every event, and its SHA-256 is the stored hash', () => {
    const fromSqlite = sqlite3Ok(
      s.dbFile,
      `SELECT json_object('action', action, 'artifactId', artifact_id, 'at', at, 'details', json(details), 'examiner', examiner,
         'prevHash', prev_hash, 'seq', seq, 'workstation', workstation) FROM custody_events ORDER BY seq;`,
    ).split('\n').filter(Boolean);
    const db = new Database(s.dbFile, { readonly: true });
    const rows = db.prepare('SELECT * FROM custody_events ORDER BY seq').all() as StoredEvent[];
    db.close();
    // The case was made with a newline, a tab and an emoji in its description, and odd characters in a note title.
    expect(rows.some((r) => r.details.includes('\\n') && r.details.includes('\\t') && r.details.includes('😀'))).toBe(true);
    expect(rows.some((r) => r.details.includes('\\u0001') && r.details.includes('\u2028'))).toBe(true);
    expect(fromSqlite).toHaveLength(rows.length);
    rows.forEach((r, i) => {
      const text = canonicalEventText({
        seq: r.seq, at: r.at, examiner: r.examiner, workstation: r.workstation, action: r.action,
        artifactId: r.artifact_id, details: r.details, prevHash: r.prev_hash,
      });
      expect(fromSqlite[i], `event ${r.seq}`).toBe(text);
      expect(sha256(fromSqlite[i]!)).toBe(r.hash);
    });
  });

  it('docs/verify-custody-chain.sh (bash + sqlite3 + sha256sum) accepts the case and its head', () => {
    const head = readEvents(s.dbFile).at(-1)!;
    const out = execFileSync('bash', [path.join(PROJECT_ROOT, 'docs', 'verify-custody-chain.sh'), s.folder, head.hash], { encoding: 'utf8' });
    expect(out).toContain(`OK: ${head.seq} events, head ${head.hash}`);
  });
});
