/**
 * The logs.acquire-lookup job: CloudTrail's 90-day event history (LookupEvents) for a time range and
 * an optional lookup attribute, paced to the documented 2 requests per second, ThrottlingException
 * retried with backoff, written as one `{"Records":[…]}` JSON file (each record exactly as
 * CloudTrail returned it in CloudTrailEvent) that logs.ingest reads like a delivered log file.
 */
import { LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent, nowUtc, type Actor } from '../../custody/custody.repo.js';
import type { JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { awsErrorCode, mapAwsError } from '../../aws/connect/aws-errors.js';
import { cloudTrailClient, requestIdOf } from './clients.js';
import { jobConnection } from './job-connection.js';
import { backoffMs, sleep, TokenBucket } from './rate-limit.js';
import { abandonPending, sealedByJob, storeArtifact } from './store.js';

/** The job's parameters (never credentials). */
export interface LookupAcquireParams {
  caseId: string;
  connectionId: string;
  account: string;
  region: string;
  from: string;
  to: string;
  attribute: { key: string; value: string } | null;
  requestsPerSecond: number;
}

/** Retries of one page after ThrottlingException before the job gives up. */
export const MAX_THROTTLE_RETRIES = 8;

/** "1,234 events, 25 pages, 12 s elapsed, about 30 s left" from the oldest event time reached. */
export function lookupEstimate(events: number, pages: number, elapsedMs: number, from: string, to: string, oldestSeen: string | null): string {
  const elapsed = Math.round(elapsedMs / 1000);
  let left = '';
  if (oldestSeen) {
    const span = Date.parse(to) - Date.parse(from);
    const covered = Math.min(span, Math.max(0, Date.parse(to) - Date.parse(oldestSeen)));
    if (covered > 0) left = `, about ${Math.round((elapsed * (span - covered)) / covered)} s left`;
  }
  return `${events.toLocaleString('en-US')} events, ${pages} page${pages === 1 ? '' : 's'}, ${elapsed} s elapsed${left}`;
}

/** The logs.acquire-lookup job handler. */
export function acquireLookupJob(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    async run(session, jobId, ctx) {
      const p = jobParams<LookupAcquireParams>(session.db, jobId);
      const attr = p.attribute ? `?${p.attribute.key}=${p.attribute.value}` : '';
      const sourcePath = `aws:cloudtrail:${p.region}:${p.account}:LookupEvents/${p.from}..${p.to}${attr}`;
      const sealed = sealedByJob(session.db, jobId, sourcePath);
      if (sealed) return { artifactId: sealed };
      const conn = jobConnection(ws, p, 'the event history acquisition');
      const client = cloudTrailClient(conn, p.region);
      const bucket = new TokenBucket(p.requestsPerSecond);
      const started = Date.now();
      const stats = { events: 0, pages: 0, throttles: 0, withoutRecord: 0, oldest: null as string | null, newest: null as string | null };
      const requestIds: string[] = [];
      const throttledRequestIds: string[] = [];
      async function* records(): AsyncGenerator<string> {
        yield '{"Records":[';
        let token: string | undefined;
        let retries = 0;
        // A throttled page is asked again with the same token (so no do/while: `continue` must not test the token).
        for (;;) {
          await bucket.take(ctx.signal);
          let page;
          try {
            page = await client.send(
              new LookupEventsCommand({
                StartTime: new Date(p.from),
                EndTime: new Date(p.to),
                MaxResults: 50,
                NextToken: token,
                ...(p.attribute ? { LookupAttributes: [{ AttributeKey: p.attribute.key as LookupAttributeKey, AttributeValue: p.attribute.value }] } : {}),
              }),
              { abortSignal: ctx.signal },
            );
          } catch (err) {
            if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Event history acquisition cancelled');
            if (awsErrorCode(err) !== 'ThrottlingException' || retries >= MAX_THROTTLE_RETRIES) {
              throw mapAwsError(err, `CloudTrail LookupEvents in ${p.region}`, { endpoint: conn.info.endpoint });
            }
            retries++;
            stats.throttles++;
            throttledRequestIds.push(requestIdOf(err) ?? '');
            await sleep(backoffMs(retries), ctx.signal);
            continue;
          }
          retries = 0;
          stats.pages++;
          requestIds.push(requestIdOf(page) ?? '');
          for (const e of page.Events ?? []) {
            if (!e.CloudTrailEvent) {
              stats.withoutRecord++;
              continue;
            }
            yield `${stats.events === 0 ? '\n' : ',\n'}${e.CloudTrailEvent}`;
            stats.events++;
            const t = e.EventTime?.toISOString() ?? null;
            if (t && (!stats.oldest || t < stats.oldest)) stats.oldest = t;
            if (t && (!stats.newest || t > stats.newest)) stats.newest = t;
          }
          ctx.progress({ phase: 'looking up events', itemsDone: stats.events, message: lookupEstimate(stats.events, stats.pages, Date.now() - started, p.from, p.to, stats.oldest) });
          token = page.NextToken;
          if (!token) break;
        }
        yield '\n]}\n';
      }
      try {
        const acquiredAt = nowUtc();
        const stored = await storeArtifact(session, actor(), {
          jobId,
          name: `cloudtrail-lookup-${p.region}-${p.from.replace(/[:.]/g, '')}-${p.to.replace(/[:.]/g, '')}.json`,
          description: `CloudTrail event history (LookupEvents) of ${p.account} in ${p.region}, ${p.from} to ${p.to}${p.attribute ? `, ${p.attribute.key} = ${p.attribute.value}` : ''}`,
          sourcePath,
          body: records(),
          signal: ctx.signal,
          provenance: () => ({
            source: 'cloudtrail',
            fileKind: 'cloudtrail-lookup',
            apiAction: 'LookupEvents',
            region: p.region,
            account: p.account,
            from: p.from,
            to: p.to,
            attribute: p.attribute,
            requestsPerSecond: p.requestsPerSecond,
            events: stats.events,
            eventsWithoutRecord: stats.withoutRecord,
            oldestEventTime: stats.oldest,
            newestEventTime: stats.newest,
            pages: stats.pages,
            throttles: stats.throttles,
            requestIds,
            throttledRequestIds,
            acquiredAt,
            elapsedMs: Date.now() - started,
          }),
        });
        ctx.progress({ phase: 'done', itemsDone: stats.events, message: lookupEstimate(stats.events, stats.pages, Date.now() - started, p.from, p.to, null) });
        return { artifactId: stored.artifactId, events: stats.events, pages: stats.pages, throttles: stats.throttles, eventsWithoutRecord: stats.withoutRecord, elapsedMs: Date.now() - started };
      } catch (err) {
        // The calls made before the failure are on record too, though no file was kept.
        const e = err instanceof AppError ? err : mapAwsError(err, 'CloudTrail LookupEvents', { endpoint: conn.info.endpoint });
        appendEvent(session.db, actor(), {
          action: 'logs.acquire-failed',
          details: { jobId, source: 'cloudtrail', apiAction: 'LookupEvents', region: p.region, requestIds, throttledRequestIds, failedRequestId: requestIdOf((err as { cause?: unknown }).cause ?? err), code: e.code, message: e.message },
        });
        throw err;
      } finally {
        client.destroy();
        ws.emit({ kind: 'case.changed', caseId: p.caseId, what: 'artifacts' });
      }
    },
    abandon(session, jobId) {
      abandonPending(session, jobId);
    },
  };
}
