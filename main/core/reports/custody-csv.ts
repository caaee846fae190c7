import { artifactNames, assertCompleteLog, canonicalDetails, type CustodyReportData } from './custody-report.js';

/** Column order of the custody CSV; part of the export format, so change it only with a format note. */
export const CUSTODY_CSV_COLUMNS = [
  'seq',
  'at',
  'examiner',
  'workstation',
  'action',
  'artifact_id',
  'artifact_name',
  'details',
  'prev_hash',
  'hash',
] as const;

/**
 * The formula-injection guard, stated for the documentation of the CSV format.
 * Spreadsheets execute a cell that starts with = + - @ (and some treat TAB/CR the same way),
 * so such a field is exported with one leading apostrophe. A field that already starts with an
 * apostrophe gets one too, which keeps the rule reversible: to recover the stored value, drop
 * exactly one leading apostrophe from any field that has one (see unguardCsvField). Verify the
 * hash chain from the recovered values, never from the guarded text.
 */
export const CSV_FORMULA_GUARD_RULE =
  "A field whose value begins with =, +, -, @, TAB, CR or an apostrophe is written with one extra leading apostrophe ('). " +
  'To recover the stored value, remove exactly one leading apostrophe from any field that starts with one.';

const GUARDED_FIRST_CHARS = new Set(['=', '+', '-', '@', '\t', '\r', "'"]);

/** Applies the formula-injection guard (CSV_FORMULA_GUARD_RULE) to one field value. */
export function guardCsvField(value: string): string {
  return value.length > 0 && GUARDED_FIRST_CHARS.has(value[0]!) ? `'${value}` : value;
}

/** Undoes guardCsvField: the exact inverse, for readers of the CSV that verify the chain. */
export function unguardCsvField(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** Quotes a field per RFC 4180 when it contains a comma, quote, CR or LF. */
export function quoteCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: readonly string[]): string {
  return fields.map((f) => quoteCsvField(guardCsvField(f))).join(',') + '\r\n';
}

/** Renders the custody log as RFC 4180 CSV (UTF-8, no BOM, CRLF), one row per event. */
export function renderCustodyCsv(data: CustodyReportData): Buffer {
  assertCompleteLog(data);
  const names = artifactNames(data.artifacts);
  const lines: string[] = [csvLine(CUSTODY_CSV_COLUMNS)];
  for (const e of data.events) {
    lines.push(
      csvLine([
        String(e.seq),
        e.at,
        e.examiner,
        e.workstation,
        e.action,
        e.artifactId ?? '',
        e.artifactId ? (names.get(e.artifactId) ?? '') : '',
        canonicalDetails(e.details),
        e.prevHash,
        e.hash,
      ]),
    );
  }
  // Buffer.from(string) writes UTF-8 without a byte-order mark, which is what examiners hash and diff.
  return Buffer.from(lines.join(''), 'utf8');
}
