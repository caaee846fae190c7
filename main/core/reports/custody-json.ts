import { assertCompleteLog, canonicalDetailsObject, type CustodyReportData } from './custody-report.js';

/** Identifies the JSON custody export; readers check format and version before trusting the shape. */
export const CUSTODY_JSON_FORMAT = 'caseward-custody-log';
/** Bumped only when the JSON shape changes incompatibly. */
export const CUSTODY_JSON_VERSION = 1;

/** Renders the custody log as pretty JSON (2-space indent, trailing newline, UTF-8 without BOM). */
export function renderCustodyJson(data: CustodyReportData): Buffer {
  assertCompleteLog(data);
  const v = data.verification;
  const doc = {
    format: CUSTODY_JSON_FORMAT,
    version: CUSTODY_JSON_VERSION,
    generatedAt: data.generatedAt,
    appVersion: data.appVersion,
    workstation: data.workstation,
    examiner: data.examiner,
    case: data.case,
    chain: {
      headSeq: v.headSeq,
      headHash: v.headHash,
      eventCount: v.eventCount,
      verified: v.ok,
      firstBreak: v.firstBreak,
      problems: v.problems,
    },
    artifacts: data.artifacts,
    // Details in canonical key order, so the JSON shows exactly what was hashed.
    events: data.events.map((e) => ({ ...e, details: canonicalDetailsObject(e.details) })),
  };
  return Buffer.from(JSON.stringify(doc, null, 2) + '\n', 'utf8');
}
