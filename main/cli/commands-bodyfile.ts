/** CLI commands for body files: one of an image's file system, and body files into the timeline. */
import { call, type CliCommand, CliFailure, commonOptions, need, waitForJob, withCase } from './cli-support.js';
import { pickPartition } from './commands-images.js';

/** Usage lines for these commands (for the CLI's help text). */
export const bodyfileUsage = `  image-bodyfile CASE ARTIFACT [--partition N|whole] [--no-timeline]   a TSK body file of a whole file system as a new artifact, merged into the timeline
  timeline-add-bodyfile CASE ARTIFACT        merge a body file artifact (e.g. from fls -m) into the timeline
`;

function summary(r: Record<string, unknown>): string {
  return Object.entries(r).map(([k, x]) => `${k}: ${typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)}`).join('\n');
}

export const bodyfileCommands: Record<string, CliCommand> = {
  'image-bodyfile': {
    options: { ...commonOptions, partition: { type: 'string' }, 'no-timeline': { type: 'boolean' } },
    async run([folder, artifactId], v, io) {
      const id = need(artifactId, 'the image artifact id after the case folder');
      return withCase(io, folder, async (caseId) => {
        const given = typeof v.partition === 'string' ? v.partition : undefined;
        const partition = pickPartition(await call(io, 'images.open', { caseId, artifactId: id }), given);
        const started = await call(io, 'images.bodyfile', { caseId, artifactId: id, partition, addToTimeline: v['no-timeline'] !== true });
        const job = await waitForJob(io, caseId, started.jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        if (started.indexJobId) await waitForJob(io, caseId, started.indexJobId);
        const artifact = await call(io, 'evidence.get', { caseId, artifactId: started.artifactId });
        io.out(io.json ? JSON.stringify({ job: job.result, artifact }, null, 2) : `${summary(job.result ?? {})}\n${artifact.id}  ${artifact.name}  ${artifact.size} bytes  SHA-256 ${artifact.hashes?.sha256 ?? '?'}`);
        return 0;
      });
    },
  },
  'timeline-add-bodyfile': {
    options: commonOptions,
    async run([folder, artifactId], _v, io) {
      const id = need(artifactId, 'the body file artifact id after the case folder');
      return withCase(io, folder, async (caseId) => {
        const started = await call(io, 'timeline.addBodyfile', { caseId, artifactId: id });
        const job = await waitForJob(io, caseId, started.jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INVALID_INPUT', message: job.error ?? `Job ${job.state}` });
        await waitForJob(io, caseId, started.indexJobId);
        io.out(io.json ? JSON.stringify(job.result, null, 2) : summary(job.result ?? {}));
        return 0;
      });
    },
  },
};
