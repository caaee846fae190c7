import type { Artifact, CaseSummary, ChainVerification, CustodyEvent, ExaminerProfile } from '../../../shared/types.js';
import { AppError } from '../../../shared/errors.js';
import { canonicalJson, compareCodePoints } from '../custody/canonical.js';

/** Everything a custody-log export needs; the renderers are pure functions of this. */
export interface CustodyReportData {
  case: CaseSummary;
  artifacts: Artifact[];
  events: CustodyEvent[];
  verification: ChainVerification;
  examiner: ExaminerProfile;
  workstation: string;
  /** UTC ISO-8601 with milliseconds and `Z`; also the PDF's CreationDate, so output is reproducible. */
  generatedAt: string;
  appVersion: string;
}

/**
 * Refuses a data set whose events are not the whole chain the verification describes.
 * An export carries the head hash as proof of completeness, so rendering a subset
 * (or an unsorted list) would produce a document that misrepresents the log.
 */
export function assertCompleteLog(data: CustodyReportData): void {
  const { events, verification } = data;
  if (events.length !== verification.eventCount) {
    throw new AppError(
      'INVALID_INPUT',
      `Custody export has ${events.length} events but the chain verification counted ${verification.eventCount}.`,
    );
  }
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.seq <= events[i - 1]!.seq) {
      throw new AppError('INVALID_INPUT', `Custody events must be in ascending sequence order (seq ${events[i]!.seq} after ${events[i - 1]!.seq}).`);
    }
  }
  const last = events[events.length - 1];
  if (last && last.seq !== verification.headSeq) {
    throw new AppError('INVALID_INPUT', `Last custody event is seq ${last.seq} but the chain head is seq ${verification.headSeq}.`);
  }
  if (Number.isNaN(Date.parse(data.generatedAt))) {
    throw new AppError('INVALID_INPUT', `generatedAt is not a valid date: ${data.generatedAt}`);
  }
}

/**
 * The canonical JSON text of an event's details, exactly as the custody chain hashes it
 * (keys in code-point order, no whitespace): the custody module's definition, not a copy.
 */
export function canonicalDetails(details: Record<string, unknown>): string {
  try {
    return canonicalJson(details);
  } catch {
    // A tampered case may hold details the canonical form refuses (a float, a lone surrogate).
    // The export must still show them, since that is the evidence of tampering; the chain
    // verification already reports the event.
    return JSON.stringify(sortKeysDeep(details));
  }
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareCodePoints)) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return out;
}

/** The details object with its keys in canonical order, for the JSON export. */
export function canonicalDetailsObject(details: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(canonicalDetails(details)) as Record<string, unknown>;
}

/** Maps artifact id to name so event rows can show what they touched. */
export function artifactNames(artifacts: Artifact[]): Map<string, string> {
  return new Map(artifacts.map((a) => [a.id, a.name]));
}
