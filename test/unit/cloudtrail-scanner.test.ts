import { describe, expect, it } from 'vitest';
import { ScanError, type ScanEvent } from '../../main/core/logs/cloudtrail/json-bytes.js';
import { JsonRecordScanner } from '../../main/core/logs/cloudtrail/json-scanner.js';

/** Feeds `doc` in chunks of the given sizes (cycled) and returns the events. */
function scan(doc: string | Buffer, sizes: number[] = [1 << 20], max = 1 << 20): ScanEvent[] {
  const bytes = typeof doc === 'string' ? Buffer.from(doc) : doc;
  const s = new JsonRecordScanner(max);
  const events: ScanEvent[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    s.push(bytes.subarray(at, at + size));
    at += size;
    events.push(...s.events.splice(0));
  }
  s.finish();
  return [...events, ...s.events];
}

const elements = (events: ScanEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'element' ? [e.bytes.toString('utf8')] : []));
const kinds = (events: ScanEvent[], kind: ScanEvent['kind']): ScanEvent[] => events.filter((e) => e.kind === kind);

function scanError(fn: () => unknown): ScanError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ScanError) return err;
    throw err;
  }
  throw new Error('expected a ScanError');
}

// Strings that try to fool a bracket counter: quotes, escapes, brackets, a lone backslash pair, UTF-8.
const tricky = [
  '{"eventName":"A","s":"brace } bracket ] quote \\" backslash \\\\","n":[1,{"x":[]}]}',
  '{\n  "eventName": "B",\n  "s": "\\\\\\"}]",\n  "u": "Zürich – 東京 🚀"\n}',
  '{"eventName":"C","empty":{},"arr":[[[]]],"num":-1.5e3,"t":true,"f":false,"z":null}',
];

describe('JsonRecordScanner', () => {
  const shapes: Array<[string, string, string]> = [
    ['records-object', `{"Records":[${tricky.join(',')}]}`, 'records-object'],
    ['pretty records-object', `{\n  "Records": [\n    ${tricky.join(',\n    ')}\n  ]\n}\n`, 'records-object'],
    ['array', `[ ${tricky.join(' , ')} ]`, 'array'],
    ['jsonl', `${tricky.map((t) => t.replace(/\n\s*/g, '')).join('\n')}\n`, 'jsonl'],
  ];
  for (const [name, doc, format] of shapes) {
    it(`finds each record's exact bytes in ${name}, whatever the chunking`, () => {
      const expected = format === 'jsonl' ? tricky.map((t) => t.replace(/\n\s*/g, '')) : tricky;
      for (const sizes of [[1], [2], [3], [7], [64], [5, 1, 13, 2], [1 << 20]]) {
        const events = scan(doc, sizes);
        expect(elements(events), `chunks ${sizes.join(',')}`).toEqual(expected);
        expect(kinds(events, 'format')).toEqual([{ kind: 'format', format }]);
      }
      for (const e of kinds(scan(doc), 'element')) {
        if (e.kind === 'element') expect(Buffer.from(doc).subarray(e.offset, e.offset + e.bytes.length).equals(e.bytes)).toBe(true);
      }
    });
  }

  it('finds Records after other properties and skips their values', () => {
    const doc = '{"meta":{"Records":[{"not":"this"}]},"count":2,"Records":[{"a":1},{"b":[2]}],"tail":"x"}';
    const events = scan(doc, [3]);
    expect(elements(events)).toEqual(['{"a":1}', '{"b":[2]}']);
    expect(kinds(events, 'top-key').map((e) => (e.kind === 'top-key' ? e.key : ''))).toEqual(['meta', 'count', 'Records', 'tail']);
  });

  it('accepts several top-level values one after another', () => {
    expect(elements(scan('{"Records":[{"a":1}]}\n{"Records":[{"b":2},{"c":3}]}  [{"d":4}]'))).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '{"d":4}']);
    expect(elements(scan('{"a":1}\n{"b":2}'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(kinds(scan('{\n"a":1\n}\n{"b":2}'), 'format')).toEqual([{ kind: 'format', format: 'objects' }]);
  });

  it('hands over scalars and strings inside an array as elements, for the reader to refuse', () => {
    expect(elements(scan('[1, "two", null, {"x":3}, true]'))).toEqual(['1', '"two"', 'null', '{"x":3}', 'true']);
  });

  it('reports structural errors with their byte offset', () => {
    const missingComma = scanError(() => scan('[{"a":1} {"b":2}]'));
    expect(missingComma.offset).toBe(9);
    expect(missingComma.message).toMatch(/expected ',' or ']'/);
    expect(scanError(() => scan('[{"a":[1}]')).message).toMatch(/brackets do not match/);
    expect(scanError(() => scan('{"Records":[{"a":1},]}')).offset).toBe(20);
    expect(scanError(() => scan('{"Records" [1]}')).message).toMatch(/expected ':'/);
    expect(scanError(() => scan('[{"a":1}] trailing')).message).toMatch(/after the end of the JSON value/);
    const truncated = scanError(() => scan('{"Records":[{"a":1},{"b":"unfinished'));
    expect(truncated.message).toMatch(/truncated JSON: the record starting at byte 20 never closes/);
    expect(truncated.offset).toBe(36);
  });

  it('in JSONL, a broken line costs that line only', () => {
    const doc = '{"a":1}\n{"b":"no end\n{"c":[1,2}\nnot json at all\n{"d":4}\n{"e":';
    const events = scan(doc, [4]);
    expect(elements(events)).toEqual(['{"a":1}', '{"d":4}']);
    expect(kinds(events, 'broken-line').map((e) => (e.kind === 'broken-line' ? e.offset : -1))).toEqual([8, 21, 32, 56]);
  });

  it('skips a record over the size limit without keeping its bytes, then carries on', () => {
    const big = `{"pad":"${'x'.repeat(5000)}"}`;
    const events = scan(`[{"a":1},${big},{"b":2}]`, [100], 1000);
    expect(elements(events)).toEqual(['{"a":1}', '{"b":2}']);
    expect(kinds(events, 'oversize')).toEqual([{ kind: 'oversize', offset: 9, length: big.length }]);
  });

  it('announces only the first top-level object’s property names', () => {
    const events = scan('{"digestS3Object":"x","logFiles":[]}\n{"other":1}');
    expect(kinds(events, 'top-key').map((e) => (e.kind === 'top-key' ? e.key : ''))).toEqual(['digestS3Object', 'logFiles']);
  });
});
