import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { readCloudTrailFile, type CloudTrailItem, type CloudTrailReadSummary, type ReadOptions } from '../../main/core/logs/cloudtrail/index.js';

const TESTDATA = path.resolve('../shared/testdata');
const STRATUS = path.join(TESTDATA, 'stratus-red-team-detonation-logs');
const haveStratus = fs.existsSync(STRATUS);
if (!haveStratus) console.warn(`Skipping the Stratus Red Team tests: ${STRATUS} is absent (../shared/testdata not mounted).`);
const stratusFiles = haveStratus ? fs.readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort() : [];
const stratusRecords = (): unknown[] => stratusFiles.flatMap((f) => JSON.parse(fs.readFileSync(path.join(STRATUS, f), 'utf8')) as unknown[]);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-ct-read-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
};

async function readAll(file: string, opts?: ReadOptions): Promise<{ items: CloudTrailItem[]; summary: CloudTrailReadSummary }> {
  const reader = readCloudTrailFile(file, opts);
  const items: CloudTrailItem[] = [];
  for await (const item of reader) items.push(item);
  return { items, summary: reader.summary };
}

async function readUntilError(file: string): Promise<{ items: CloudTrailItem[]; error: AppError; summary: CloudTrailReadSummary }> {
  const reader = readCloudTrailFile(file);
  const items: CloudTrailItem[] = [];
  try {
    for await (const item of reader) items.push(item);
  } catch (err) {
    if (err instanceof AppError) return { items, error: err, summary: reader.summary };
    throw err;
  }
  throw new Error(`${file} was read without an error`);
}

const rec = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  eventVersion: '1.08', eventTime: `2024-03-01T10:${String(i % 60).padStart(2, '0')}:00Z`, eventSource: 's3.amazonaws.com',
  eventName: 'GetObject', eventID: `id-${i}`, userIdentity: { type: 'IAMUser', userName: 'bob' }, ...extra,
});

describe('Stratus Red Team captures (JSON arrays exported by another tool)', () => {
  it.skipIf(!haveStratus)('every record of all 35 files is read, byte for byte', async () => {
    expect(stratusFiles).toHaveLength(35);
    let total = 0;
    for (const f of stratusFiles) {
      const file = path.join(STRATUS, f);
      const expected = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<Record<string, unknown>>;
      const { items, summary } = await readAll(file);
      expect(items.length, f).toBe(expected.length);
      expect(summary).toMatchObject({ format: 'array', records: expected.length, skipped: 0, elements: expected.length, done: true, compressed: false });
      items.forEach((item, i) => {
        expect(JSON.parse(item.raw)).toEqual(expected[i]);
        expect(item.index).toBe(i);
        expect(item.record.eventId).toBe(expected[i]!.eventID);
        expect(item.record.eventName).toBe(expected[i]!.eventName);
      });
      total += items.length;
    }
    expect(total).toBe(310);
  });

  it.skipIf(!haveStratus)('the same records read alike as a delivered .json.gz, as JSONL, and pretty-printed', async () => {
    const all = stratusRecords();
    const gz = write('stratus.json.gz', gzipSync(JSON.stringify({ Records: all })));
    const jsonl = write('stratus.jsonl', all.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const pretty = write('stratus-pretty.json', `\uFEFF\n${JSON.stringify({ Records: all }, null, 2)}\n`);
    for (const [file, format] of [[gz, 'records-object'], [jsonl, 'jsonl'], [pretty, 'records-object']] as const) {
      const { items, summary } = await readAll(file);
      expect(summary).toMatchObject({ format, records: 310, skipped: 0 });
      expect(items.map((i) => JSON.parse(i.raw))).toEqual(all);
    }
    const { items } = await readAll(pretty);
    const bytes = fs.readFileSync(pretty);
    expect(bytes.subarray(items[5]!.offset, items[5]!.offset + items[5]!.length).toString()).toBe(items[5]!.raw);
  });
});

describe('other exports', () => {
  it('reads an array of records held as JSON strings (LookupEvents CloudTrailEvent values)', async () => {
    const inner = [rec(1), rec(2)].map((r) => JSON.stringify(r));
    const file = write('lookup-strings.json', JSON.stringify([...inner, 'not a record']));
    const { items, summary } = await readAll(file);
    expect(items.map((i) => i.raw)).toEqual(inner);
    expect(items.map((i) => i.record.eventId)).toEqual(['id-1', 'id-2']);
    expect(summary.skips).toEqual([{ index: 2, offset: expect.any(Number), code: 'not-an-object', message: 'element is string, not a JSON object' }]);
  });
});

describe('bad input: clear errors, the rest still read, nothing silently dropped', () => {
  it('a truncated gzip: the records before the cut, then an error naming the file and offset', async () => {
    const records = Array.from({ length: 3000 }, (_, i) => rec(i, { pad: 'x'.repeat(200 + (i % 17)) }));
    const gz = gzipSync(JSON.stringify({ Records: records }));
    const file = write('truncated.json.gz', gz.subarray(0, Math.floor(gz.length * 0.7)));
    const { items, error, summary } = await readUntilError(file);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated or corrupt gzip at or before compressed byte \\d+`));
    expect(error.message).toContain(`${items.length} records were read before it`);
    expect(items.length).toBeGreaterThan(100);
    expect(items.length).toBeLessThan(3000);
    expect(items.map((i) => i.record.eventId)).toEqual(records.slice(0, items.length).map((r) => r.eventID));
    expect(summary.done).toBe(false);
  });

  it('invalid JSON inside one record skips that record with its offset; broken structure stops with an error', async () => {
    const good = [rec(1), rec(2), rec(3)].map((r) => JSON.stringify(r));
    const bad = '{"eventName": "X" "eventTime": 1}';
    const file = write('one-bad.json', `{"Records":[${good[0]},${bad},${good[1]},${good[2]}]}`);
    const { items, summary } = await readAll(file);
    expect(items.map((i) => i.record.eventId)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(summary).toMatchObject({ elements: 4, records: 3, skipped: 1, skippedByCode: { 'invalid-json': 1 } });
    const badAt = 12 + good[0]!.length + 1;
    expect(summary.skips[0]).toMatchObject({ index: 1, offset: badAt, code: 'invalid-json' });
    expect(summary.skips[0]!.message).toMatch(new RegExp(`^invalid JSON at byte ${badAt + 18}`));
    const broken = write('broken.json', `[${good[0]},${good[1]} ${good[2]}]`);
    const r = await readUntilError(broken);
    expect(r.items.map((i) => i.record.eventId)).toEqual(['id-1', 'id-2']);
    expect(r.error.message).toContain(`broken.json: invalid JSON at byte ${1 + good[0]!.length + 1 + good[1]!.length + 1}: expected ',' or ']'`);
    expect(r.error.message).toContain('2 records were read before it');
  });

  it('files of the wrong kind are named for what they look like', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['digest.json.gz', gzipSync('{"awsAccountId":"1","digestStartTime":"x","digestS3Object":"k","logFiles":[]}'), /CloudTrail digest file/],
      ['flow.log', 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n', /VPC flow log/],
      ['flow-v2.log', '2 123456789012 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK\n', /VPC flow log/],
      ['lookup.json', JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: '{}' }] }), /LookupEvents output/],
      ['flow-json.json', JSON.stringify([{ version: 2, srcaddr: '10.0.0.1', dstaddr: '10.0.0.2' }]), /VPC flow log records/],
      ['other.json', JSON.stringify([{ name: 'a' }, { name: 'b' }]), /none of CloudTrail's fields \(it has: name\)/],
      ['archive.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), /ZIP archive/],
      ['notes.txt', 'Meeting notes: the breach started on Monday', /not JSON: it starts with "Meeting notes/],
      ['empty.json', '\n  \n', /it is empty/],
    ];
    for (const [name, content, why] of cases) {
      const { error, items } = await readUntilError(write(name, content));
      expect(error.code, name).toBe('INVALID_INPUT');
      expect(error.message, name).toMatch(new RegExp(`${name} is not a CloudTrail log file: `));
      expect(error.message, name).toMatch(why);
      expect(items).toEqual([]);
    }
    const flowSample = path.join(TESTDATA, 'vpcflow-samples', 'grafana-lambda-promtail_vpcflowlog.log.gz');
    if (fs.existsSync(flowSample)) expect((await readUntilError(flowSample)).error.message).toMatch(/VPC flow log/);
  });

  it('records missing required fields are skipped and counted, each with its reason', async () => {
    const { eventTime: _t, ...noTime } = rec(2);
    const lines = [rec(1), noTime, rec(3, { eventName: '' }), rec(4, { eventTime: 'not a time' }), 'plain string', rec(6), rec(7, { eventID: undefined })];
    const file = write('missing.jsonl', `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"eventName":\n`);
    const { items, summary } = await readAll(file);
    expect(items.map((i) => i.index)).toEqual([0, 5, 6]);
    expect(summary).toMatchObject({
      elements: 8, records: 3, skipped: 5, withoutEventId: 1,
      skippedByCode: { 'missing-field': 2, 'bad-event-time': 1, 'bad-line': 2 },
    });
    expect(summary.skips.map((s) => [s.index, s.code, s.message])).toEqual([
      [1, 'missing-field', 'missing eventTime'],
      [2, 'missing-field', 'missing eventName'],
      [3, 'bad-event-time', 'eventTime "not a time" is not a UTC time'],
      [4, 'bad-line', 'line of 14 bytes skipped: it is not a JSON object'],
      [7, 'bad-line', 'line of 13 bytes skipped: it ends before its JSON value closes'],
    ]);
    expect(summary.records + summary.skipped).toBe(summary.elements);
    // Named .jsonl, a file is read line by line from the start, so even a broken first line costs one record.
    const first = write('first-broken.jsonl', `{"eventName":\n${JSON.stringify(rec(8))}\n${JSON.stringify(rec(9))}\n`);
    const r = await readAll(first);
    expect(r.items.map((i) => i.record.eventId)).toEqual(['id-8', 'id-9']);
    expect(r.summary).toMatchObject({ format: 'jsonl', skipped: 1, skippedByCode: { 'bad-line': 1 } });
  });

  it('a record over the size limit is skipped with its size; missing files, folders and cancellation are errors', async () => {
    const file = write('large.json', JSON.stringify({ Records: [rec(1), rec(2, { blob: 'y'.repeat(5000) }), rec(3)] }));
    const { items, summary } = await readAll(file, { maxRecordBytes: 2000 });
    expect(items.map((i) => i.record.eventId)).toEqual(['id-1', 'id-3']);
    expect(summary.skips[0]).toMatchObject({ index: 1, code: 'too-large' });
    await expect(readAll(path.join(tmp, 'nope.json'))).rejects.toMatchObject({ code: 'FILE_MISSING' });
    await expect(readAll(tmp)).rejects.toMatchObject({ code: 'NOT_A_FILE' });
    const many = write('many.json', JSON.stringify(Array.from({ length: 20000 }, (_, i) => rec(i))));
    const ac = new AbortController();
    const reader = readCloudTrailFile(many, { signal: ac.signal, maxRecordBytes: 1 << 20 });
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of reader) if (++seen === 10) ac.abort();
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(reader.summary.records).toBeLessThan(20000);
  });
});
