/**
 * AWS commands of the CLI. A CLI process is short-lived and connections live in memory, so each
 * command connects (recording 'aws.connected'), does its work and ends with the process.
 */
import type { AwsConnection, AwsDiscovery, AwsInstanceDetail, AwsPreflight } from '../../shared/contract-aws.js';
import { call, type CliCommand, CliFailure, type CliIo, type CliOptions, type CliValues, commonOptions, print, str, waitForJob, withCase } from './cli-support.js';

const connectOptions: CliOptions = { ...commonOptions, profile: { type: 'string' }, region: { type: 'string', multiple: true }, endpoint: { type: 'string' } };

/** Usage lines of the AWS commands. */
export const awsUsage = `
  aws-profiles                               list AWS profiles (names and kinds, never secrets)
  aws-connect CASE --profile P|environment --region R [--region R2…] [--endpoint URL]   check who Caseward acts as; recorded
  aws-discover CASE --profile P --region R [--endpoint URL] [--kinds instances,volumes,snapshots] [--text T] [--tag K[=V]] [--limit N]
  aws-instance CASE --profile P --region R --instance i-… [--endpoint URL]   everything about one instance
  aws-preflight CASE --profile P --region R --instance i-… [--actions tag,protect,snapshot,isolate]   DryRun permission check
  aws-image CASE --profile P --region R --snapshot snap-… [--endpoint URL] [--concurrency N]   image a completed EBS snapshot into the case (Ctrl-C cancels and discards the partial image)
`;

function list(v: CliValues, key: string): string[] | undefined {
  const x = v[key];
  const raw = Array.isArray(x) ? x : typeof x === 'string' ? [x] : undefined;
  return raw?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

async function connectFor(io: CliIo, caseId: string, v: CliValues): Promise<AwsConnection> {
  const profile = str(v, 'profile');
  if (!profile) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give --profile NAME (or --profile environment)' });
  const regions = list(v, 'region') ?? [];
  if (regions.length === 0) throw new CliFailure({ code: 'INVALID_INPUT', message: 'Give at least one --region' });
  const conn = await call(io, 'aws.connect', { caseId, profile, regions, endpoint: str(v, 'endpoint') });
  if (!io.json) io.err(`Connected as ${conn.arn} (account ${conn.account}) in ${conn.regions.join(', ')}`);
  return conn;
}

function discoveryText(d: AwsDiscovery): string {
  const lines: string[] = [];
  for (const r of d.regions) {
    lines.push(`== ${r.region} (account ${d.account})`);
    if (r.instances) {
      lines.push(`instances: ${r.instances.items.length}${r.instances.truncated ? ' (truncated)' : ''}`);
      for (const i of r.instances.items) {
        lines.push(`  ${i.instanceId}  ${i.name ?? '-'}  ${i.state ?? '?'}  ${i.instanceType ?? '?'}  ${i.availabilityZone ?? '?'}  ${i.privateIpAddress ?? '-'} ${i.publicIpAddress ?? '-'}  launched ${i.launchTime ?? '?'}`);
        lines.push(`    groups ${i.securityGroups.map((g) => g.groupId).join(',') || '-'}  profile ${i.iamInstanceProfileArn ?? '-'}`);
        for (const vol of i.volumes) lines.push(`    ${vol.deviceName ?? '?'} ${vol.volumeId} deleteOnTermination=${String(vol.deleteOnTermination)}`);
      }
    }
    if (r.volumes) {
      lines.push(`volumes: ${r.volumes.items.length}${r.volumes.truncated ? ' (truncated)' : ''}`);
      for (const v of r.volumes.items) {
        const att = v.attachments.map((a) => `${a.instanceId}:${a.device}`).join(',') || 'unattached';
        lines.push(`  ${v.volumeId}  ${v.name ?? '-'}  ${v.sizeGiB ?? '?'} GiB ${v.volumeType ?? '?'}  ${v.state ?? '?'}  ${v.encrypted ? `encrypted ${v.kmsKeyId ?? ''}` : 'unencrypted'}  ${att}`);
      }
    }
    if (r.snapshots) {
      lines.push(`snapshots: ${r.snapshots.items.length}${r.snapshots.truncated ? ' (truncated)' : ''}`);
      for (const s of r.snapshots.items) {
        lines.push(`  ${s.snapshotId}  ${s.volumeId ?? '-'}  ${s.state ?? '?'} ${s.progress ?? ''}  started ${s.startTime ?? '?'}  ${s.encrypted ? 'encrypted' : 'unencrypted'}  ${s.description ?? ''}`);
      }
    }
    for (const e of r.errors) lines.push(`  ${e.kind}: ${e.code}: ${e.message}`);
  }
  return lines.join('\n');
}

function instanceText(d: AwsInstanceDetail): string {
  const s = d.summary;
  const part = (name: string, p: { ok: boolean; code?: string; message?: string } | null) => (p && !p.ok ? [`${name}: ${p.code}: ${p.message}`] : []);
  const lines = [
    `${s.instanceId}  ${s.name ?? '-'}  ${s.state ?? '?'}  ${s.instanceType ?? '?'}  ${s.availabilityZone ?? '?'}`,
    `IPs: ${s.privateIpAddress ?? '-'} / ${s.publicIpAddress ?? '-'}   groups: ${s.securityGroups.map((g) => `${g.groupId}(${g.groupName ?? ''})`).join(' ')}`,
    `IAM instance profile: ${s.iamInstanceProfileArn ?? '-'}`,
  ];
  if (d.attributes.ok) {
    const a = d.attributes.value;
    lines.push(`termination protection: ${String(a.disableApiTermination)}   shutdown behaviour: ${a.instanceInitiatedShutdownBehavior ?? '?'}`);
    lines.push(a.userData ? `user data (${a.userData.bytes} bytes, SHA-256 ${a.userData.sha256}):\n${a.userData.text}` : 'user data: none');
  }
  if (d.volumes.ok) for (const v of d.volumes.value) lines.push(`volume ${v.volumeId} ${v.sizeGiB ?? '?'} GiB ${v.encrypted ? `encrypted ${v.kmsKeyId ?? ''}` : 'unencrypted'}`);
  if (d.iam?.ok) for (const r of d.iam.value.roles) lines.push(`role ${r.arn}: ${r.attachedPolicies.ok ? r.attachedPolicies.value.map((p) => p.policyName).join(', ') : r.attachedPolicies.code}; inline ${r.inlinePolicies.ok ? r.inlinePolicies.value.map((p) => p.policyName).join(', ') : r.inlinePolicies.code}`);
  lines.push(...part('attributes', d.attributes), ...part('volumes', d.volumes), ...part('security groups', d.securityGroups), ...part('network interfaces', d.networkInterfaces), ...part('IAM', d.iam));
  return lines.join('\n');
}

function preflightText(p: AwsPreflight): string {
  return p.results
    .map((r) => [`${r.action}: ${r.outcome.toUpperCase()}`, ...r.calls.map((c) => `  ${c.api}: ${c.outcome}${c.missingPermission ? ` (missing ${c.missingPermission})` : ''}${c.outcome === 'unknown' && c.message ? ` — ${c.message}` : ''}`)].join('\n'))
    .join('\n');
}

export const awsCommands: Record<string, CliCommand> = {
  'aws-profiles': {
    options: commonOptions,
    async run(_p, _v, io) {
      const r = await call(io, 'aws.profiles', {});
      print(io, r, () => [`config: ${r.configFile}`, `credentials: ${r.credentialsFile}`, ...r.profiles.map((p) => `${p.name}\t${p.kind}${p.region ? `\t${p.region}` : ''}`)].join('\n'));
      return 0;
    },
  },
  'aws-connect': {
    options: connectOptions,
    async run([folder], v, io) {
      const conn = await withCase(io, folder, (caseId) => connectFor(io, caseId, v));
      print(io, conn, () => `account ${conn.account}\narn ${conn.arn}\nuser id ${conn.userId}\nregions ${conn.regions.join(', ')}`);
      return 0;
    },
  },
  'aws-discover': {
    options: { ...connectOptions, kinds: { type: 'string' }, text: { type: 'string' }, tag: { type: 'string' }, limit: { type: 'string' } },
    async run([folder], v, io) {
      const tag = str(v, 'tag');
      const eq = tag?.indexOf('=') ?? -1;
      const d = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        return call(io, 'aws.discover', {
          caseId,
          connectionId: conn.connectionId,
          kinds: list(v, 'kinds') as ('instances' | 'volumes' | 'snapshots')[] | undefined,
          filter: str(v, 'text') || tag ? { text: str(v, 'text'), tag: tag ? (eq >= 0 ? { key: tag.slice(0, eq), value: tag.slice(eq + 1) } : { key: tag }) : undefined } : undefined,
          limit: str(v, 'limit') ? Number(str(v, 'limit')) : undefined,
        });
      });
      print(io, d, () => discoveryText(d));
      return d.regions.some((r) => r.errors.length > 0) ? 1 : 0;
    },
  },
  'aws-instance': {
    options: { ...connectOptions, instance: { type: 'string' } },
    async run([folder], v, io) {
      const d = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        return call(io, 'aws.instance', { caseId, connectionId: conn.connectionId, region: conn.regions[0]!, instanceId: str(v, 'instance') ?? '' });
      });
      print(io, d, () => instanceText(d));
      return 0;
    },
  },
  'aws-preflight': {
    options: { ...connectOptions, instance: { type: 'string' }, actions: { type: 'string' } },
    async run([folder], v, io) {
      const p = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        const actions = (list(v, 'actions') ?? ['tag', 'protect', 'snapshot', 'isolate']) as ('tag' | 'protect' | 'snapshot' | 'isolate')[];
        return call(io, 'aws.preflight', { caseId, connectionId: conn.connectionId, region: conn.regions[0]!, instanceId: str(v, 'instance') ?? '', actions });
      });
      print(io, p, () => preflightText(p));
      return p.results.some((r) => r.outcome === 'denied') ? 1 : 0;
    },
  },
  'aws-image': {
    options: { ...connectOptions, snapshot: { type: 'string' }, concurrency: { type: 'string' } },
    async run([folder], v, io) {
      const a = await withCase(io, folder, async (caseId) => {
        const conn = await connectFor(io, caseId, v);
        const concurrency = str(v, 'concurrency');
        const { jobId, artifactId } = await call(io, 'aws.image', {
          caseId,
          connectionId: conn.connectionId,
          region: conn.regions[0]!,
          snapshotId: str(v, 'snapshot') ?? '',
          concurrency: concurrency === undefined ? undefined : Number(concurrency),
        });
        const job = await waitForJob(io, caseId, jobId);
        if (job.state !== 'succeeded') throw new CliFailure({ code: job.state === 'cancelled' ? 'CANCELLED' : 'INTERNAL', message: job.error ?? `Job ${job.state}` });
        return call(io, 'evidence.get', { caseId, artifactId });
      });
      print(io, a, () =>
        [`${a.name}  ${a.size ?? '?'} bytes  ${a.storedPath}`, `MD5 ${a.hashes?.md5}`, `SHA-1 ${a.hashes?.sha1}`, `SHA-256 ${a.hashes?.sha256}`, `source ${a.sourcePath}`].join('\n'),
      );
      return 0;
    },
  },
};
