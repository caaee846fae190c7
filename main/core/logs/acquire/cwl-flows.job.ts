/**
 * The flows.acquire-cwl job: VPC flow log records from a CloudWatch Logs group (FilterLogEvents,
 * every page) for a time range, written as one flow log file: a header line naming the fields (the
 * flow log's format; CloudWatch Logs messages carry the values only), then one record per line,
 * so flows.ingest reads it exactly like a file delivered to S3.
 */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent, nowUtc, type Actor } from '../../custody/custody.repo.js';
import type { JobHandler } from '../../jobs/job-runner.js';
import { jobParams } from '../../jobs/jobs.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from '../../aws/connect/aws-errors.js';
import { cloudWatchLogsClient, requestIdOf } from './clients.js';
import { jobConnection } from './job-connection.js';
import { abandonPending, sealedByJob, storeArtifact } from './store.js';

/** The default (version 2) flow log format, AWS's field names in order. */
export const DEFAULT_FLOW_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

/** The job's parameters (never credentials). */
export interface CwlFlowsParams {
  caseId: string;
  connectionId: string;
  account: string;
  region: string;
  logGroupName: string;
  logStreamNames: string[] | null;
  from: string;
  to: string;
  /** The flow log's format as field names separated by spaces (`${…}` of AWS's LogFormat are accepted). */
  fields: string;
}

/** `${version} ${srcaddr}` or `version srcaddr` → `version srcaddr`. */
export function headerFromFormat(format: string): string {
  const names = format.replace(/\$\{([a-z0-9-]+)\}/g, '$1').trim().split(/\s+/);
  if (names.length === 0 || names.some((n) => !/^[a-z0-9-]+$/.test(n))) {
    throw new AppError('INVALID_INPUT', `Not a flow log format: "${format}" (field names separated by spaces, e.g. "${DEFAULT_FLOW_FIELDS}")`);
  }
  return names.join(' ');
}

/** The flows.acquire-cwl job handler. */
export function acquireCwlFlowsJob(ws: Workstation, actor: () => Actor): JobHandler {
  return {
    async run(session, jobId, ctx) {
      const p = jobParams<CwlFlowsParams>(session.db, jobId);
      const sourcePath = `aws:logs:${p.region}:${p.account}:${p.logGroupName}/${p.from}..${p.to}`;
      const sealed = sealedByJob(session.db, jobId, sourcePath);
      if (sealed) return { artifactId: sealed };
      const conn = jobConnection(ws, p, `the flow log acquisition from ${p.logGroupName}`);
      const client = cloudWatchLogsClient(conn, p.region);
      const stats = { events: 0, pages: 0, streams: new Set<string>() };
      const requestIds: string[] = [];
      const header = headerFromFormat(p.fields);
      async function* lines(): AsyncGenerator<string> {
        yield `${header}\n`;
        let token: string | undefined;
        do {
          let page;
          try {
            page = await client.send(
              new FilterLogEventsCommand({
                logGroupName: p.logGroupName,
                startTime: Date.parse(p.from),
                // AWS's endTime is inclusive; ours is exclusive.
                endTime: Date.parse(p.to) - 1,
                nextToken: token,
                ...(p.logStreamNames ? { logStreamNames: p.logStreamNames } : {}),
              }),
              { abortSignal: ctx.signal },
            );
          } catch (err) {
            if (ctx.signal.aborted) throw new AppError('CANCELLED', 'Flow log acquisition cancelled');
            throw mapAwsError(err, `CloudWatch Logs FilterLogEvents on ${p.logGroupName}`, { endpoint: conn.info.endpoint });
          }
          stats.pages++;
          requestIds.push(requestIdOf(page) ?? '');
          let chunk = '';
          for (const e of page.events ?? []) {
            // A record never spans lines; a stray line break would split it into two bad lines.
            chunk += `${(e.message ?? '').replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ')}\n`;
            if (e.logStreamName) stats.streams.add(e.logStreamName);
            stats.events++;
          }
          if (chunk) yield chunk;
          ctx.progress({ phase: 'reading log events', itemsDone: stats.events, message: `${stats.events} records, ${stats.pages} page${stats.pages === 1 ? '' : 's'}` });
          token = page.nextToken;
        } while (token);
      }
      try {
        const acquiredAt = nowUtc();
        const stored = await storeArtifact(session, actor(), {
          jobId,
          name: `vpcflowlogs-${p.logGroupName.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '')}-${p.from.replace(/[:.]/g, '')}.log`,
          description: `VPC flow log records from CloudWatch Logs group ${p.logGroupName} (${p.region}, account ${p.account}), ${p.from} to ${p.to}`,
          sourcePath,
          body: lines(),
          signal: ctx.signal,
          provenance: () => ({
            source: 'cloudwatch-logs',
            fileKind: 'vpc-flow-log',
            apiAction: 'FilterLogEvents',
            region: p.region,
            account: p.account,
            logGroupName: p.logGroupName,
            logStreamNames: p.logStreamNames,
            streamsWithEvents: [...stats.streams].sort(),
            from: p.from,
            to: p.to,
            fields: header,
            events: stats.events,
            pages: stats.pages,
            requestIds,
            acquiredAt,
          }),
        });
        return { artifactId: stored.artifactId, events: stats.events, pages: stats.pages };
      } catch (err) {
        // The calls made before the failure are on record too, though no file was kept.
        const e = err instanceof AppError ? err : mapAwsError(err, 'CloudWatch Logs FilterLogEvents', { endpoint: conn.info.endpoint });
        appendEvent(session.db, actor(), {
          action: 'logs.acquire-failed',
          details: { jobId, source: 'cloudwatch-logs', apiAction: 'FilterLogEvents', region: p.region, logGroupName: p.logGroupName, requestIds, failedRequestId: requestIdOf((err as { cause?: unknown }).cause ?? err), code: e.code, message: e.message },
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
