/**
 * CloudTrail (JSON 1.1, signing name 'cloudtrail', X-Amz-Target
 * `[com.amazonaws.cloudtrail.v20131101.]CloudTrail_20131101.<Action>`): LookupEvents over the event
 * history (time range, one lookup attribute, MaxResults ≤ 50, NextToken, newest first) with AWS's
 * documented limit of 2 requests per second per account and region enforced (ThrottlingException),
 * and ListPublicKeys for a time range. Also the JSON 1.1 helpers CloudWatch Logs shares.
 */
import type { RawRequest, RequestContext, ServiceHandler } from './context.js';
import { AwsError, jsonErrorResponse, type WireResponse } from './errors.js';
import { logServices, type TrailEvent } from './logs-state.js';

// botocore sends the long form, the current JavaScript SDK the short one.
const TARGET = /^(com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.\w+$/;

/** The action named by X-Amz-Target (text after the last '.'). */
export function jsonTarget(raw: RawRequest): string {
  const target = raw.headers['x-amz-target'] ?? '';
  return target.slice(target.lastIndexOf('.') + 1) || 'Unknown';
}

/** A JSON 1.1 answer with the request id header AWS sends. */
export function json11(ctx: RequestContext, body: unknown): WireResponse {
  return { status: 200, headers: { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': ctx.requestId }, body: Buffer.from(JSON.stringify(body)) };
}

/** The request's JSON input ({} for an empty body); a body that is not JSON is AWS's SerializationException. */
export function jsonInput(ctx: RequestContext): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  try {
    return JSON.parse(ctx.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
}

/** Epoch seconds (JSON 1.1 timestamps) or undefined. */
export function epochSeconds(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new AwsError('ValidationException', `${name} must be a timestamp`, 400);
  return value;
}

const ATTRIBUTES: Record<string, (e: TrailEvent) => unknown[]> = {
  EventId: (e) => [e.record.eventID],
  EventName: (e) => [e.record.eventName],
  EventSource: (e) => [e.record.eventSource],
  ReadOnly: (e) => [String(e.record.readOnly ?? '')],
  Username: (e) => [userName(e)],
  AccessKeyId: (e) => [(e.record.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId],
  ResourceType: (e) => resources(e).map((r) => r.type),
  ResourceName: (e) => resources(e).map((r) => r.ARN),
};

function userName(e: TrailEvent): string | undefined {
  const id = e.record.userIdentity as { userName?: string; sessionContext?: { sessionIssuer?: { userName?: string } } } | undefined;
  return id?.userName ?? id?.sessionContext?.sessionIssuer?.userName;
}

function resources(e: TrailEvent): { ARN?: string; type?: string }[] {
  return Array.isArray(e.record.resources) ? (e.record.resources as { ARN?: string; type?: string }[]) : [];
}

const eventSeconds = (e: TrailEvent): number => Date.parse(String(e.record.eventTime)) / 1000;

/** Refuses a request when `rate` requests of this account/region were accepted in the last second. */
function throttle(ctx: RequestContext): void {
  const s = logServices(ctx.state);
  const key = `${ctx.identity.accountId}/${ctx.region}`;
  const now = Date.now();
  const arrivals = s.lookupArrivals.get(key) ?? [];
  arrivals.push(now);
  s.lookupArrivals.set(key, arrivals);
  const accepted = s.lookupAccepted.get(key) ?? [];
  s.lookupAccepted.set(key, accepted);
  if (accepted.filter((t) => now - t < 1000).length >= s.lookupEventsPerSecond) throw new AwsError('ThrottlingException', 'Rate exceeded', 400);
  accepted.push(now);
}

function lookupEvents(ctx: RequestContext): WireResponse {
  throttle(ctx);
  const input = jsonInput(ctx);
  const start = epochSeconds(input.StartTime, 'StartTime');
  const end = epochSeconds(input.EndTime, 'EndTime');
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before end time.', 400);
  }
  const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 50) throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.', 400);
  const attrs = (input.LookupAttributes ?? []) as { AttributeKey?: string; AttributeValue?: string }[];
  if (attrs.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You can specify only one lookup attribute.', 400);
  const attr = attrs[0];
  if (attr && (!attr.AttributeKey || !ATTRIBUTES[attr.AttributeKey] || attr.AttributeValue === undefined)) {
    throw new AwsError('InvalidLookupAttributesException', `Invalid lookup attribute: ${attr.AttributeKey ?? '(none)'}`, 400);
  }
  const matching = logServices(ctx.state)
    .trailEvents.filter((e) => e.region === ctx.region && e.accountId === ctx.identity.accountId)
    .filter((e) => (start === undefined || eventSeconds(e) >= start) && (end === undefined || eventSeconds(e) <= end))
    .filter((e) => !attr || ATTRIBUTES[attr.AttributeKey!]!(e).includes(attr.AttributeValue))
    .sort((a, b) => eventSeconds(b) - eventSeconds(a));
  let offset = 0;
  if (typeof input.NextToken === 'string') {
    const m = /^lk1:(\d+)$/.exec(Buffer.from(input.NextToken, 'base64').toString('utf8'));
    if (!m) throw new AwsError('InvalidNextTokenException', 'Invalid NextToken.', 400);
    offset = Number(m[1]);
  }
  const page = matching.slice(offset, offset + max);
  const next = offset + page.length < matching.length ? Buffer.from(`lk1:${offset + page.length}`).toString('base64') : undefined;
  return json11(ctx, {
    Events: page.map((e) => ({
      EventId: e.record.eventID,
      EventName: e.record.eventName,
      ReadOnly: e.record.readOnly === undefined ? undefined : String(e.record.readOnly),
      AccessKeyId: ATTRIBUTES.AccessKeyId!(e)[0],
      EventTime: eventSeconds(e),
      EventSource: e.record.eventSource,
      Username: userName(e),
      Resources: resources(e).map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
      CloudTrailEvent: JSON.stringify(e.record),
    })),
    ...(next ? { NextToken: next } : {}),
  });
}

function listPublicKeys(ctx: RequestContext): WireResponse {
  const input = jsonInput(ctx);
  const start = epochSeconds(input.StartTime, 'StartTime');
  const end = epochSeconds(input.EndTime, 'EndTime');
  const keys = logServices(ctx.state).publicKeys.filter(
    (k) => (end === undefined || k.validityStart.getTime() / 1000 <= end) && (start === undefined || k.validityEnd.getTime() / 1000 >= start),
  );
  return json11(ctx, {
    PublicKeyList: keys.map((k) => ({
      Value: k.der.toString('base64'),
      ValidityStartTime: k.validityStart.getTime() / 1000,
      ValidityEndTime: k.validityEnd.getTime() / 1000,
      Fingerprint: k.fingerprint,
    })),
  });
}

/** The JSON 1.1 service errors shared by CloudTrail and CloudWatch Logs. */
export function jsonServiceErrors(deniedPrefix: string): ServiceHandler['errors'] {
  return {
    missing: new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    unknownKey: new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
    badSignature: (m) => new AwsError('InvalidSignatureException', m, 400),
    expired: (m) => new AwsError('InvalidSignatureException', m, 400),
    throttle: new AwsError('ThrottlingException', 'Rate exceeded', 400),
    serverError: (status) => new AwsError(status === 503 ? 'ServiceUnavailableException' : 'InternalFailure', 'The request processing has failed because of an unknown error.', status),
    accessDenied: (ctx) => new AwsError('AccessDeniedException', `User: ${ctx.identity.arn} is not authorized to perform: ${deniedPrefix}:${ctx.action}`, 400),
  };
}

/** The CloudTrail service of the fake. */
export const cloudTrailService: ServiceHandler = {
  identify: (raw) => ({ action: jsonTarget(raw) }),
  async handle(ctx) {
    const target = ctx.headers['x-amz-target'] ?? '';
    if (!TARGET.test(target)) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`, 400);
    if (!ctx.state.policy.isAllowed(`cloudtrail:${ctx.action}`)) throw cloudTrailService.errors.accessDenied(ctx);
    if (ctx.action === 'LookupEvents') return lookupEvents(ctx);
    if (ctx.action === 'ListPublicKeys') return listPublicKeys(ctx);
    throw new AwsError('UnknownOperationException', `${ctx.action} is not implemented by the fake`, 400);
  },
  renderError: (err, requestId) => jsonErrorResponse(err, requestId),
  errors: jsonServiceErrors('cloudtrail'),
};
