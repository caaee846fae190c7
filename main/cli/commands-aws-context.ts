/**
 * The CLI's aws-context command: connects (recorded), captures an instance's context as artifacts
 * and prints one line per part. Exit code 1 when any part failed.
 */
import { awsContextParts, type AwsContextPart, type AwsContextPartResult } from '../../shared/contract-aws-context.js';
import { awsConnectionOptions, call, type CliCommand, CliFailure, type CliValues, str, waitForJob, withCase } from './cli-support.js';

/** Usage line of the command. */
export const awsContextUsage = `  aws-context CASE --profile P --region R --instance i-… [--endpoint URL] [--parts ${awsContextParts.join(',')}]   capture console output (first), screenshot and configuration as artifacts
`;

function parts(v: CliValues): AwsContextPart[] | undefined {
  const raw = str(v, 'parts');
  return raw ? (raw.split(',').map((s) => s.trim()).filter(Boolean) as AwsContextPart[]) : undefined;
}

export const awsContextCommands: Record<string, CliCommand> = {
  'aws-context': {
    options: { ...awsConnectionOptions, instance: { type: 'string' }, parts: { type: 'string' } },
    async run([folder], v, io) {
      const results = await withCase(io, folder, async (caseId) => {
        const profile = str(v, 'profile');
        const region = str(v, 'region');
        if (!profile || !region) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --profile NAME and --region R' });
        const conn = await call(io, 'aws.connect', { caseId, profile, regions: [region], endpoint: str(v, 'endpoint') });
        const { jobId } = await call(io, 'aws.captureContext', { caseId, connectionId: conn.connectionId, region, instanceId: str(v, 'instance') ?? '', parts: parts(v) });
        const job = await waitForJob(io, caseId, jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        return (job.result?.results ?? []) as AwsContextPartResult[];
      });
      io.out(io.json ? JSON.stringify(results, null, 2) : results.map((r) => `${r.part.padEnd(20)} ${r.status}${r.artifactId ? `  ${r.artifactId}` : ''}${r.message ? `  ${r.code}: ${r.message}` : ''}`).join('\n'));
      return results.some((r) => r.status === 'failed') ? 1 : 0;
    },
  },
};
