import { describe, it, expect } from 'vitest';
import {
  CUSTODY_CSV_COLUMNS,
  guardCsvField,
  renderCustodyCsv,
  unguardCsvField,
} from '../../main/core/reports/custody-csv.js';
import { canonicalJson } from '../../main/core/custody/canonical.js';
import { AppError } from '../../shared/errors.js';
import { makeCustodyData } from '../fixtures/reports/custody-data.js';

/** A strict RFC 4180 parser: records end in CRLF, quotes only around whole fields, "" is a quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`expected , or CRLF at ${i}, got ${JSON.stringify(text[i])}`);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

describe('renderCustodyCsv', () => {
  const data = makeCustodyData({ events: 40 });
  const bytes = renderCustodyCsv(data);
  const text = bytes.toString('utf8');
  const rows = parseCsv(text);

  it('is UTF-8 without a byte-order mark and ends every record with CRLF', () => {
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith('seq,at,')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
  });

  it('round-trips every event through an RFC 4180 parser', () => {
    expect(rows[0]).toEqual([...CUSTODY_CSV_COLUMNS]);
    expect(rows).toHaveLength(data.events.length + 1);
    const names = new Map(data.artifacts.map((a) => [a.id, a.name]));
    data.events.forEach((e, i) => {
      const row = rows[i + 1]!.map(unguardCsvField);
      expect(row).toEqual([
        String(e.seq),
        e.at,
        e.examiner,
        e.workstation,
        e.action,
        e.artifactId ?? '',
        e.artifactId ? names.get(e.artifactId) : '',
        canonicalJson(e.details),
        e.prevHash,
        e.hash,
      ]);
      expect(JSON.parse(row[7]!)).toEqual(e.details);
    });
  });

  it('keeps commas, quotes and line breaks inside details intact', () => {
    const row = rows.find((r) => r[7]!.includes('comma'))!;
    expect(JSON.parse(row[7]!).note).toBe('comma, "quote" and\r\nnew line');
    // The raw text quoted that field and doubled its quotes.
    expect(text).toContain('""note"":""comma, \\""quote\\"" and\\r\\nnew line""');
  });

  it('writes details as canonical JSON with keys sorted', () => {
    const row = rows.find((r) => r[7]!.includes('"z"'))!;
    expect(row[7]).toBe('{"note":"comma, \\"quote\\" and\\r\\nnew line","result":"match","z":{"a":[1,"x"],"b":2}}');
  });

  it('guards spreadsheet formulas with a leading apostrophe, reversibly', () => {
    const bySeq = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(bySeq.get('3')![2]).toBe("'=1+2");
    expect(bySeq.get('4')![2]).toBe("'@SUM(A1)");
    expect(bySeq.get('6')![3]).toBe("'+cmd");
    expect(bySeq.get('7')![3]).toBe("'\tTAB-WS");
    expect(bySeq.get('8')![4]).toBe("'-rm");
    // An existing apostrophe is doubled so that removing one always gives the stored value back.
    expect(bySeq.get('5')![3]).toBe("''quoted-ws");
    const nameCells = rows.slice(1).map((r) => r[6]);
    expect(nameCells).toContain("'-leading-dash-notes.txt");
    for (const cell of rows.slice(1).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const v of ['=A1', '+1', '-1', '@x', '\tx', '\rx', "'x", 'plain', '', 'a=b']) {
      expect(unguardCsvField(guardCsvField(v))).toBe(v);
    }
    expect(guardCsvField('\r=1')).toBe("'\r=1");
  });

  it('is deterministic', () => {
    expect(renderCustodyCsv(makeCustodyData({ events: 40 })).equals(bytes)).toBe(true);
  });

  it('refuses a truncated event list instead of exporting it as the whole log', () => {
    const partial = { ...data, events: data.events.slice(0, -1) };
    expect(() => renderCustodyCsv(partial)).toThrow(AppError);
    const shuffled = { ...data, events: [...data.events].reverse() };
    expect(() => renderCustodyCsv(shuffled)).toThrow(/ascending/);
  });

  it('still exports details the canonical form refuses (a tampered case), keys sorted', () => {
    const tampered = makeCustodyData({ events: 2 });
    tampered.events[1] = { ...tampered.events[1]!, details: { z: 1.5, a: 'x' } };
    const out = parseCsv(renderCustodyCsv(tampered).toString('utf8'));
    expect(out[2]![7]).toBe('{"a":"x","z":1.5}');
  });

  it('writes only the header for an empty log', () => {
    const empty = makeCustodyData({ events: 0 });
    expect(renderCustodyCsv(empty).toString('utf8')).toBe(CUSTODY_CSV_COLUMNS.join(',') + '\r\n');
  });
});
