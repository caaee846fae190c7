/**
 * CloudWatch Logs (JSON 1.1, signing name 'logs', X-Amz-Target `Logs_20140328.<Action>`):
 * FilterLogEvents over a log group for a time range (epoch milliseconds, both ends inclusive as
 * AWS documents them), optional log stream names or prefix, a `limit`, and nextToken paging. Filter
 * patterns other than empty are refused: the fake does not interpret them.
 */
import type { RequestContext, ServiceHandler } from './context.js';
import { AwsError, jsonErrorResponse, type WireResponse } from './errors.js';
import { json11, jsonInput, jsonServiceErrors, jsonTarget } from './cloudtrail.js';
import { logServices } from './logs-state.js';

function filterLogEvents(ctx: RequestContext): WireResponse {
  const input = jsonInput(ctx);
  const group = (input.logGroupName ?? input.logGroupIdentifier) as string | undefined;
  if (!group) throw new AwsError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified.', 400);
  const events = logServices(ctx.state).logGroups.get(group);
  if (!events) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
  if (typeof input.filterPattern === 'string' && input.filterPattern.trim() !== '') {
    throw new AwsError('InvalidParameterException', 'The fake does not interpret filter patterns.', 400);
  }
  const start = typeof input.startTime === 'number' ? input.startTime : undefined;
  const end = typeof input.endTime === 'number' ? input.endTime : undefined;
  const streams = Array.isArray(input.logStreamNames) ? (input.logStreamNames as string[]) : null;
  const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : null;
  const limit = input.limit === undefined ? logServices(ctx.state).filterPageSize : Math.min(Number(input.limit), logServices(ctx.state).filterPageSize);
  if (!Number.isInteger(limit) || limit < 1) throw new AwsError('InvalidParameterException', 'limit must be at least 1.', 400);
  const matching = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp <= end))
    .filter(({ e }) => (!streams || streams.includes(e.logStreamName)) && (!prefix || e.logStreamName.startsWith(prefix)))
    .sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i);
  let offset = 0;
  if (typeof input.nextToken === 'string') {
    const m = /^fl1:(\d+)$/.exec(Buffer.from(input.nextToken, 'base64').toString('utf8'));
    if (!m) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.', 400);
    offset = Number(m[1]);
  }
  const page = matching.slice(offset, offset + limit);
  const next = offset + page.length < matching.length ? Buffer.from(`fl1:${offset + page.length}`).toString('base64') : undefined;
  const streamNames = [...new Set(matching.map(({ e }) => e.logStreamName))];
  return json11(ctx, {
    events: page.map(({ e, i }) => ({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.timestamp + 1000,
      eventId: String(i).padStart(56, '0'),
    })),
    searchedLogStreams: streamNames.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
    ...(next ? { nextToken: next } : {}),
  });
}

/** The CloudWatch Logs service of the fake. */
export const cloudWatchLogsService: ServiceHandler = {
  identify: (raw) => ({ action: jsonTarget(raw) }),
  async handle(ctx) {
    if (!ctx.state.policy.isAllowed(`logs:${ctx.action}`)) throw cloudWatchLogsService.errors.accessDenied(ctx);
    if (ctx.action === 'FilterLogEvents') return filterLogEvents(ctx);
    throw new AwsError('UnknownOperationException', `${ctx.action} is not implemented by the fake`, 400);
  },
  renderError: (err, requestId) => jsonErrorResponse(err, requestId),
  errors: jsonServiceErrors('logs'),
};
