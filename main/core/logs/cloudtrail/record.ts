import { createHash } from 'node:crypto';
import { AppError } from '../../../../shared/errors.js';

/**
 * One CloudTrail event, flattened to the fields an examiner filters on, plus its exact source
 * text. Every field is a string, number, boolean or null so a row maps one-to-one onto a table
 * column; JSON-valued fields are kept as JSON text.
 */
export interface CloudTrailRecord {
  /** UTC ISO-8601 with milliseconds and `Z`, converted from the record's eventTime. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  /** CloudTrail's GUID for the event; null when an exporting tool dropped it. */
  eventId: string | null;
  /** What deduplication keys on: eventID, or `sha256:<hex of raw>` when there is none. */
  dedupeKey: string;
  eventVersion: string | null;
  eventType: string | null;
  eventCategory: string | null;
  awsRegion: string | null;
  recipientAccountId: string | null;
  sourceIpAddress: string | null;
  userAgent: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  readOnly: boolean | null;
  managementEvent: boolean | null;
  requestId: string | null;
  sharedEventId: string | null;
  userType: string | null;
  userArn: string | null;
  userPrincipalId: string | null;
  userAccountId: string | null;
  userName: string | null;
  accessKeyId: string | null;
  invokedBy: string | null;
  sessionIssuerType: string | null;
  sessionIssuerArn: string | null;
  sessionIssuerUserName: string | null;
  sessionIssuerAccountId: string | null;
  mfaAuthenticated: boolean | null;
  /** A short name for who acted, for display: user name, role/session, service or principal id. */
  actor: string | null;
  /** ARNs from `resources[]`, in record order. */
  resources: string[];
  requestParameters: string | null;
  responseElements: string | null;
  additionalEventData: string | null;
  /** The record exactly as it appeared in the file (UTF-8 text of its bytes). */
  raw: string;
}

/** Why a record could not be used; `code` groups skips for the summary counts. */
export interface RecordProblem {
  code: 'missing-field' | 'bad-event-time' | 'not-an-object';
  message: string;
}

export type NormaliseResult = { ok: true; record: CloudTrailRecord } | { ok: false; problem: RecordProblem };

/** Fields without which an event cannot sit on a timeline or be told apart from another. */
export const REQUIRED_FIELDS = ['eventTime', 'eventSource', 'eventName'] as const;

// CloudTrail always writes a zone (Z); a time without one would be a guess, so it is refused.
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  // Some exporters write booleans as strings ("true"/"false").
  if (v === 'true') return true;
  if (v === 'false') return false;
  return null;
}

function jsonText(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** Converts a CloudTrail eventTime to UTC ISO with milliseconds, or null if it is not a zoned time. */
export function toUtcIso(value: string): string | null {
  if (!EVENT_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function lastArnSegment(arn: string | null): string | null {
  if (!arn) return null;
  const slash = arn.indexOf('/');
  return slash >= 0 ? arn.slice(slash + 1) : null;
}

function resourceArns(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const r of v) {
    const arn = isObject(r) ? str(r.ARN ?? r.arn) : null;
    if (arn) out.push(arn);
  }
  return out;
}

/**
 * Normalises an already parsed record; `raw` is its exact source text. Returns a problem instead
 * of throwing so a reader can count and report the skip and carry on.
 */
export function tryNormalise(value: unknown, raw: string): NormaliseResult {
  if (!isObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    return { ok: false, problem: { code: 'not-an-object', message: `element is ${kind}, not a JSON object` } };
  }
  const missing = REQUIRED_FIELDS.filter((f) => typeof value[f] !== 'string' || value[f] === '');
  if (missing.length > 0) {
    return { ok: false, problem: { code: 'missing-field', message: `missing ${missing.join(', ')}` } };
  }
  const eventTime = toUtcIso(value.eventTime as string);
  if (!eventTime) {
    const shown = JSON.stringify(value.eventTime).slice(0, 60);
    return { ok: false, problem: { code: 'bad-event-time', message: `eventTime ${shown} is not a UTC time` } };
  }
  const id = isObject(value.userIdentity) ? value.userIdentity : {};
  const ctx = isObject(id.sessionContext) ? id.sessionContext : {};
  const issuer = isObject(ctx.sessionIssuer) ? ctx.sessionIssuer : {};
  const attrs = isObject(ctx.attributes) ? ctx.attributes : {};
  const eventId = str(value.eventID);
  const userArn = str(id.arn);
  const userName = str(id.userName);
  const issuerName = str(issuer.userName);
  const invokedBy = str(id.invokedBy);
  return {
    ok: true,
    record: {
      eventTime,
      eventSource: value.eventSource as string,
      eventName: value.eventName as string,
      eventId,
      dedupeKey: eventId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`,
      eventVersion: str(value.eventVersion),
      eventType: str(value.eventType),
      eventCategory: str(value.eventCategory),
      awsRegion: str(value.awsRegion),
      recipientAccountId: str(value.recipientAccountId),
      sourceIpAddress: str(value.sourceIPAddress),
      userAgent: str(value.userAgent),
      errorCode: str(value.errorCode),
      errorMessage: str(value.errorMessage),
      readOnly: bool(value.readOnly),
      managementEvent: bool(value.managementEvent),
      requestId: str(value.requestID),
      sharedEventId: str(value.sharedEventID),
      userType: str(id.type),
      userArn,
      userPrincipalId: str(id.principalId),
      userAccountId: str(id.accountId),
      userName,
      accessKeyId: str(id.accessKeyId),
      invokedBy,
      sessionIssuerType: str(issuer.type),
      sessionIssuerArn: str(issuer.arn),
      sessionIssuerUserName: issuerName,
      sessionIssuerAccountId: str(issuer.accountId),
      mfaAuthenticated: bool(attrs.mfaAuthenticated),
      actor: userName ?? lastArnSegment(userArn) ?? issuerName ?? invokedBy ?? str(id.principalId),
      resources: resourceArns(value.resources),
      requestParameters: jsonText(value.requestParameters),
      responseElements: jsonText(value.responseElements),
      additionalEventData: jsonText(value.additionalEventData),
      raw,
    },
  };
}

/** Parses and normalises one record's JSON text; throws INVALID_INPUT saying what is wrong. */
export function normaliseRecord(raw: string): CloudTrailRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new AppError('INVALID_INPUT', `Not a CloudTrail record: invalid JSON (${(err as Error).message}).`);
  }
  const result = tryNormalise(value, raw);
  if (!result.ok) throw new AppError('INVALID_INPUT', `Not a usable CloudTrail record: ${result.problem.message}.`);
  return result.record;
}
