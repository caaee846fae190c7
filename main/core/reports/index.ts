/** Custody-log exports: pure renderers from CustodyReportData to the bytes of a CSV, JSON or PDF file. */
export { type CustodyReportData, assertCompleteLog, canonicalDetails } from './custody-report.js';
export { renderCustodyCsv, CSV_FORMULA_GUARD_RULE, CUSTODY_CSV_COLUMNS, guardCsvField, unguardCsvField } from './custody-csv.js';
export { renderCustodyJson, CUSTODY_JSON_FORMAT, CUSTODY_JSON_VERSION } from './custody-json.js';
export { renderCustodyPdf, EVENT_HASH_FOOTNOTE } from './custody-pdf.js';
