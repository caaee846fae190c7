/**
 * The CLI's log acquisition commands: CloudTrail or VPC flow logs from S3, CloudTrail's event
 * history, VPC flow logs from CloudWatch Logs, and offline validation of the acquired trail. Each
 * connects (recorded), queues the job, waits and prints a summary; exit 1 when anything failed.
 */
import type { S3AcquireFileResult } from '../../shared/contract-logs-acquire.js';
import { awsConnectionOptions, call, type CliCommand, CliFailure, type CliIo, type CliOptions, type CliValues, str, waitForJob, withCase } from './cli-support.js';

/** Usage lines of the commands. */
export const logsAcquireUsage = `  logs-acquire-s3 CASE --profile P --region R --bucket B --account A… --trail-region R… --from T --to T [--org o-…] [--prefix P] [--flows] [--endpoint URL]
                                  acquire CloudTrail logs, digests and public keys (or with --flows VPC flow logs) from S3
  logs-acquire-lookup CASE --profile P --region R --from T --to T [--attribute Key=Value] [--endpoint URL]   CloudTrail event history (LookupEvents)
  flows-acquire-cwl CASE --profile P --region R --log-group G --from T --to T [--fields "version …"] [--endpoint URL]   VPC flow logs from CloudWatch Logs
  logs-validate-acquired CASE [--bucket B] [--from T --to T]   validate the acquired CloudTrail files offline (exit 1 unless all valid)
`;

const list = (v: CliValues, key: string): string[] => (Array.isArray(v[key]) ? (v[key] as string[]) : typeof v[key] === 'string' ? [v[key] as string] : []);

const connOptions: CliOptions = { ...awsConnectionOptions, from: { type: 'string' }, to: { type: 'string' } };

/** Connects, queues the job made by `start`, waits; returns the job's result. */
async function runJob(io: CliIo, folder: string | undefined, v: CliValues, start: (caseId: string, connectionId: string, region: string) => Promise<{ jobId: string }>): Promise<Record<string, unknown>> {
  return withCase(io, folder, async (caseId) => {
    const profile = str(v, 'profile');
    const region = str(v, 'region');
    if (!profile || !region) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --profile NAME and --region R' });
    const conn = await call(io, 'aws.connect', { caseId, profile, regions: [region], endpoint: str(v, 'endpoint') });
    const { jobId } = await start(caseId, conn.connectionId, region);
    const job = await waitForJob(io, caseId, jobId);
    if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
    return job.result ?? {};
  });
}

export const logsAcquireCommands: Record<string, CliCommand> = {
  'logs-acquire-s3': {
    options: { ...connOptions, bucket: { type: 'string' }, account: { type: 'string', multiple: true }, 'trail-region': { type: 'string', multiple: true }, org: { type: 'string' }, prefix: { type: 'string' }, flows: { type: 'boolean' } },
    async run([folder], v, io) {
      const r = await runJob(io, folder, v, (caseId, connectionId, region) =>
        call(io, 'logs.acquireS3', {
          caseId, connectionId, region, bucket: str(v, 'bucket') ?? '', accounts: list(v, 'account'), regions: list(v, 'trail-region'),
          from: str(v, 'from') ?? '', to: str(v, 'to') ?? '', orgId: str(v, 'org') ?? null, prefix: str(v, 'prefix') ?? '', kind: v.flows ? 'vpcflowlogs' : 'cloudtrail',
        }),
      );
      const files = (r.files ?? []) as S3AcquireFileResult[];
      io.out(io.json ? JSON.stringify(r, null, 2) : [
        `listed ${String(r.listed)}, acquired ${String(r.acquired)}, skipped ${String(r.skipped)}, corrupt ${String(r.corrupt)}, failed ${String(r.failed)}${r.publicKeysArtifactId ? `; public keys ${String(r.publicKeysArtifactId)}` : ''}`,
        ...files.filter((f) => f.status === 'failed' || f.status === 'corrupt').map((f) => `  ${f.status} ${f.key}: ${f.message ?? ''}`),
      ].join('\n'));
      return Number(r.failed) > 0 || Number(r.corrupt) > 0 ? 1 : 0;
    },
  },
  'logs-acquire-lookup': {
    options: { ...connOptions, attribute: { type: 'string' } },
    async run([folder], v, io) {
      const attr = str(v, 'attribute');
      const eq = attr?.indexOf('=') ?? -1;
      if (attr && eq < 1) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --attribute as Key=Value, e.g. EventName=ConsoleLogin' });
      const r = await runJob(io, folder, v, (caseId, connectionId, region) =>
        call(io, 'logs.acquireLookup', {
          caseId, connectionId, region, from: str(v, 'from') ?? '', to: str(v, 'to') ?? '',
          ...(attr ? { attribute: { key: attr.slice(0, eq) as 'EventName', value: attr.slice(eq + 1) } } : {}),
        }),
      );
      io.out(io.json ? JSON.stringify(r, null, 2) : `${String(r.events)} events in ${String(r.pages)} pages (${String(r.throttles)} throttled), artifact ${String(r.artifactId)}`);
      return 0;
    },
  },
  'flows-acquire-cwl': {
    options: { ...connOptions, 'log-group': { type: 'string' }, fields: { type: 'string' } },
    async run([folder], v, io) {
      const r = await runJob(io, folder, v, (caseId, connectionId, region) =>
        call(io, 'flows.acquireCwl', { caseId, connectionId, region, logGroupName: str(v, 'log-group') ?? '', from: str(v, 'from') ?? '', to: str(v, 'to') ?? '', fields: str(v, 'fields') }),
      );
      io.out(io.json ? JSON.stringify(r, null, 2) : `${String(r.events)} flow records in ${String(r.pages)} pages, artifact ${String(r.artifactId)}`);
      return 0;
    },
  },
  'logs-validate-acquired': {
    options: { json: { type: 'boolean' }, 'user-data': { type: 'string' }, 'cases-dir': { type: 'string' }, bucket: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    async run([folder], v, io) {
      const report = await withCase(io, folder, async (caseId) => {
        const { publicKeyArtifactIds: _ids, ...trail } = await call(io, 'logs.acquiredTrail', { caseId, bucket: str(v, 'bucket') });
        if (trail.digests.length === 0) throw new CliFailure({ code: 'NOT_FOUND', message: 'No CloudTrail digest files were acquired into this case (logs-acquire-s3 first)' });
        if (trail.publicKeys.length === 0) throw new CliFailure({ code: 'NOT_FOUND', message: 'No CloudTrail public keys were acquired into this case (logs-acquire-s3 stores them)' });
        const from = str(v, 'from');
        const to = str(v, 'to');
        return call(io, 'logs.validate', { caseId, ...trail, ...(from && to ? { range: { from, to } } : {}) });
      });
      const c = report.counts;
      io.out(io.json ? JSON.stringify(report, null, 2) : [
        `${report.ok ? 'OK' : 'NOT OK'}: digests ${c.digests.valid} valid, ${c.digests.invalid} invalid, ${c.digests.missing} missing; logs ${c.logs.valid} valid, ${c.logs.invalid} invalid, ${c.logs.missing} missing, ${c.logs['not-covered']} not covered; ${c.gaps} gaps (custody #${report.custodySeq})`,
        ...report.digests.filter((d) => d.status !== 'valid').map((d) => `  digest ${d.status} ${d.s3Key}: ${d.reason ?? ''}`),
        ...report.logs.filter((l) => l.status !== 'valid').map((l) => `  log ${l.status} ${l.s3Key}: ${l.reason ?? ''}`),
        ...report.gaps.map((g) => `  gap ${g.kind} ${g.from} to ${g.to}: ${g.message}`),
      ].join('\n'));
      return report.ok ? 0 : 1;
    },
  },
};
