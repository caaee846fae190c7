/** The CLI's commands, each a thin use of contract operations. */
import fs from 'node:fs';
import { isChannel } from '../../shared/contract.js';
import type { Artifact, ChainVerification, CustodyEvent, ExportFormat, VerifyOutcome } from '../../shared/types.js';
import { call, type CliCommand, CliFailure, commonOptions, print, str, waitForJob, withCase } from './cli-support.js';
import { imageCommands, imageUsage } from './commands-images.js';
import { bodyfileCommands, bodyfileUsage } from './commands-bodyfile.js';
import { awsCommands, awsUsage } from './commands-aws.js';
import { awsPreserveCommands, awsPreserveUsage } from './commands-aws-preserve.js';
import { awsContextCommands, awsContextUsage } from './commands-aws-context.js';
import { awsShareCommands, awsShareUsage } from './commands-aws-share.js';
import { logsAcquireCommands, logsAcquireUsage } from './commands-logs-acquire.js';

export type { CliIo } from './cli-support.js';

export const usage = `Usage: caseward <command> [options]   (common options: --json --user-data DIR --cases-dir DIR)

  profile [--name N --org O [--badge ID]]   show or set the examiner profile of this workstation
  create --number N --title T [--client C] [--description D] [--tz ZONE] [--path FOLDER]
  cases                                      list the cases this workstation knows
  info CASE                                  show a case folder's summary
  add CASE FILE [--in-place] [--description D]   copy FILE into the case (or register it in place) and hash it
  artifacts CASE                             list artifacts with their hashes
  verify CASE [--artifact ID]...             verify the custody chain and re-hash evidence
  verify-chain CASE                          verify the custody chain only
  custody CASE [--artifact ID]               print the custody log
  export CASE --format csv|json|pdf          export the custody log into CASE/exports
  note CASE --title T (--body TEXT | --file F) [--artifact ID]   write a note
  jobs CASE                                  list jobs
  resume CASE JOB_ID | discard CASE JOB_ID   decide about an interrupted job
  call CHANNEL [JSON]                        call any contract operation directly (scripting)
${imageUsage}${bodyfileUsage}${awsUsage}${awsPreserveUsage}${awsShareUsage}${awsContextUsage}${logsAcquireUsage}`;

function artifactLines(a: Artifact): string {
  const h = a.hashes;
  if (a.cloud) {
    const lock = a.cloud.lock ? `, locked (${a.cloud.lock.mode}) until ${a.cloud.lock.expiresOn ?? '?'}` : '';
    return `${a.id}  ${a.name}  [cloud-ref]  ${a.cloud.resourceId} in ${a.cloud.region}, account ${a.cloud.account}${lock}\n  ${a.description}`;
  }
  return [
    `${a.id}  ${a.name}  [${a.state}, ${a.storage}]  ${a.size ?? '?'} bytes`,
    h ? `  MD5     ${h.md5}\n  SHA-1   ${h.sha1}\n  SHA-256 ${h.sha256}` : '  (not hashed)',
    a.lastVerification ? `  last verified ${a.lastVerification.at}: ${a.lastVerification.result}` : '',
  ].filter(Boolean).join('\n');
}

function chainText(v: ChainVerification): string {
  const head = `Custody chain: ${v.eventCount} events, head #${v.headSeq} ${v.headHash}`;
  if (v.ok) return `${head}\nOK: every event and record matches the chain.`;
  return [head, 'BROKEN:', ...v.problems.map((p) => (p.kind === 'event' ? `  event #${p.seq}: ${p.reason}` : `  artifact ${p.name} (${p.artifactId}): ${p.reason}`))].join('\n');
}

function eventLine(e: CustodyEvent): string {
  return `#${e.seq} ${e.at} ${e.action}${e.artifactId ? ` [${e.artifactId}]` : ''} by ${e.examiner} on ${e.workstation} ${JSON.stringify(e.details)}`;
}

export const commands: Record<string, CliCommand> = {
  ...imageCommands,
  ...bodyfileCommands,
  ...awsCommands,
  ...awsPreserveCommands,
  ...awsShareCommands,
  ...awsContextCommands,
  ...logsAcquireCommands,
  profile: {
    options: { ...commonOptions, name: { type: 'string' }, org: { type: 'string' }, badge: { type: 'string' } },
    async run(_p, v, io) {
      if (str(v, 'name') || str(v, 'org')) {
        const p = await call(io, 'settings.setProfile', { name: str(v, 'name') ?? '', organisation: str(v, 'org') ?? '', badgeId: str(v, 'badge') });
        print(io, p, () => `Examiner profile set: ${p.name}, ${p.organisation}${p.badgeId ? `, ${p.badgeId}` : ''}`);
        return 0;
      }
      const p = await call(io, 'settings.getProfile', {});
      print(io, p, () => (p ? `${p.name}, ${p.organisation}${p.badgeId ? `, ${p.badgeId}` : ''}` : 'No examiner profile yet: caseward profile --name N --org O'));
      return p ? 0 : 1;
    },
  },
  create: {
    options: { ...commonOptions, number: { type: 'string' }, title: { type: 'string' }, client: { type: 'string' }, description: { type: 'string' }, tz: { type: 'string' }, path: { type: 'string' } },
    async run(_p, v, io) {
      const c = await call(io, 'cases.create', {
        number: str(v, 'number') ?? '', title: str(v, 'title') ?? '', client: str(v, 'client'), description: str(v, 'description'), timeZone: str(v, 'tz'), path: str(v, 'path'),
      });
      await call(io, 'cases.close', { caseId: c.id });
      print(io, c, () => `Created case ${c.number} in ${c.path}`);
      return 0;
    },
  },
  cases: {
    options: commonOptions,
    async run(_p, _v, io) {
      const list = await call(io, 'cases.list', {});
      print(io, list, () => (list.length ? list.map((c) => `${c.number}\t${c.title}\t${c.path}${c.reachable ? '' : '\t(not reachable)'}`).join('\n') : 'No cases yet.'));
      return 0;
    },
  },
  info: {
    options: commonOptions,
    async run([folder], _v, io) {
      const c = await withCase(io, folder, (caseId) => call(io, 'cases.get', { caseId }));
      print(io, c, () => `${c.number} — ${c.title}\nclient: ${c.client}\nexaminer: ${c.examiner}\ntime zone: ${c.timeZone}\nartifacts: ${c.artifactCount}\nevents: ${c.eventCount}\nhead: ${c.headHash}`);
      return 0;
    },
  },
  add: {
    options: { ...commonOptions, 'in-place': { type: 'boolean' }, description: { type: 'string' } },
    async run([folder, file], v, io) {
      if (!file) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give the file to add after the case folder' });
      return withCase(io, folder, async (caseId) => {
        const { jobId, artifactId } = await call(io, 'evidence.add', { caseId, sourcePath: file, mode: v['in-place'] ? 'in-place' : 'copy', description: str(v, 'description') });
        const job = await waitForJob(io, caseId, jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        const a = await call(io, 'evidence.get', { caseId, artifactId });
        print(io, a, () => artifactLines(a));
        return 0;
      });
    },
  },
  artifacts: {
    options: commonOptions,
    async run([folder], _v, io) {
      const list = await withCase(io, folder, (caseId) => call(io, 'evidence.list', { caseId }));
      print(io, list, () => (list.length ? list.map(artifactLines).join('\n') : 'No artifacts yet.'));
      return 0;
    },
  },
  'verify-chain': {
    options: commonOptions,
    async run([folder], _v, io) {
      const r = await withCase(io, folder, (caseId) => call(io, 'custody.verifyChain', { caseId }));
      print(io, r, () => chainText(r));
      return r.ok ? 0 : 1;
    },
  },
  verify: {
    options: { ...commonOptions, artifact: { type: 'string', multiple: true } },
    async run([folder], v, io) {
      return withCase(io, folder, async (caseId) => {
        const chain = await call(io, 'custody.verifyChain', { caseId });
        const ids = v.artifact as string[] | undefined;
        const { jobId } = await call(io, 'evidence.verify', { caseId, artifactIds: ids });
        const job = await waitForJob(io, caseId, jobId);
        const outcomes = (job.result?.outcomes ?? []) as VerifyOutcome[];
        const ok = chain.ok && job.state === 'succeeded' && outcomes.every((o) => o.result === 'match');
        print(io, { chain, evidence: job.result, ok }, () =>
          [chainText(chain), `Evidence: ${job.state}${job.error ? ` (${job.error})` : ''}`, ...outcomes.map((o) => `  ${o.result.toUpperCase().padEnd(10)} ${o.name} (${o.artifactId}): ${o.message}`)].join('\n'),
        );
        return ok ? 0 : 1;
      });
    },
  },
  custody: {
    options: { ...commonOptions, artifact: { type: 'string' } },
    async run([folder], v, io) {
      const r = await withCase(io, folder, async (caseId) => {
        const all: CustodyEvent[] = [];
        for (let offset = 0; ; offset += 1000) {
          const page = await call(io, 'custody.list', { caseId, artifactId: str(v, 'artifact'), offset, limit: 1000 });
          all.push(...page.events);
          if (all.length >= page.total || page.events.length === 0) break;
        }
        return all;
      });
      print(io, r, () => r.map(eventLine).join('\n'));
      return 0;
    },
  },
  export: {
    options: { ...commonOptions, format: { type: 'string' } },
    async run([folder], v, io) {
      const format = (str(v, 'format') ?? 'pdf') as ExportFormat;
      const r = await withCase(io, folder, (caseId) => call(io, 'reports.exportCustody', { caseId, format }));
      print(io, r, () => `Wrote ${r.absolutePath}\n  ${r.size} bytes, SHA-256 ${r.sha256}\n  covers events 1–${r.headSeq}, head ${r.headHash}`);
      return 0;
    },
  },
  note: {
    options: { ...commonOptions, title: { type: 'string' }, body: { type: 'string' }, file: { type: 'string' }, artifact: { type: 'string' } },
    async run([folder], v, io) {
      const body = str(v, 'body') ?? (str(v, 'file') ? fs.readFileSync(str(v, 'file')!, 'utf8') : '');
      const n = await withCase(io, folder, (caseId) => call(io, 'notes.create', { caseId, title: str(v, 'title') ?? '', body, artifactId: str(v, 'artifact') }));
      print(io, n, () => `Note ${n.id} revision ${n.revision} written`);
      return 0;
    },
  },
  jobs: {
    options: commonOptions,
    async run([folder], _v, io) {
      const list = await withCase(io, folder, (caseId) => call(io, 'jobs.list', { caseId }));
      print(io, list, () => (list.length ? list.map((j) => `${j.id}\t${j.state}\t${j.title}${j.error ? `\t${j.error}` : ''}`).join('\n') : 'No jobs.'));
      return 0;
    },
  },
  resume: {
    options: commonOptions,
    async run([folder, jobId], _v, io) {
      return withCase(io, folder, async (caseId) => {
        await call(io, 'jobs.resume', { caseId, jobId: jobId ?? '' });
        const job = await waitForJob(io, caseId, jobId ?? '');
        print(io, job, () => `Job ${job.id}: ${job.state}${job.error ? ` (${job.error})` : ''}`);
        return job.state === 'succeeded' ? 0 : 1;
      });
    },
  },
  discard: {
    options: commonOptions,
    async run([folder, jobId], _v, io) {
      const job = await withCase(io, folder, (caseId) => call(io, 'jobs.discard', { caseId, jobId: jobId ?? '' }));
      print(io, job, () => `Job ${job.id}: ${job.state}`);
      return 0;
    },
  },
  call: {
    options: commonOptions,
    async run([channel, json], _v, io) {
      if (!isChannel(channel)) throw new CliFailure({ code: 'INVALID_INPUT', message: `Unknown operation ${channel ?? ''}` });
      const env = await io.app.invoke(channel, json ? JSON.parse(json) : {});
      io.out(JSON.stringify(env, null, 2));
      return env.ok ? 0 : 1;
    },
  },
};
