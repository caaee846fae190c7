/** Columns of the discovery tables: the fields an examiner compares, ids and addresses in monospace. */
import type { ReactNode } from 'react';
import type { AwsInstanceSummary, AwsSnapshotSummary, AwsVolumeSummary } from '../../../../shared/contract-aws.js';
import { formatTime } from '../../lib/format.js';
import { tagsText } from './aws-text.js';
import type { Column } from './ResourceTable.js';

/** A discovered resource with the region it was found in. */
export type Regional<T> = T & { region: string };

const dash = <span className="muted">—</span>;
const mono = (v: string | null | undefined) => (v ? <span className="mono">{v}</span> : dash);

function stateBadge(state: string | null) {
  if (!state) return dash;
  const cls = state === 'running' || state === 'completed' || state === 'in-use' || state === 'available' ? 'badge badge-ok-quiet' : state === 'error' ? 'badge badge-bad' : 'badge';
  return <span className={cls}>{state}</span>;
}

function encryption(encrypted: boolean, kmsKeyId: string | null) {
  if (!encrypted)
    return (
      <span className="badge" title="not encrypted">
        not encrypted
      </span>
    );
  return <span title={kmsKeyId ?? ''}>encrypted{kmsKeyId ? <span className="mono muted"> {kmsKeyId.split('/').pop()}</span> : null}</span>;
}

/** Instance columns; times in the case's zone. */
export function instanceColumns(zone: string): Column<Regional<AwsInstanceSummary>>[] {
  return [
    { id: 'id', header: 'Instance', cell: (r) => mono(r.instanceId), className: 'aws-col-id' },
    { id: 'name', header: 'Name', cell: (r) => r.name ?? dash, title: (r) => tagsText(r.tags), className: 'cell-name' },
    { id: 'state', header: 'State', cell: (r) => stateBadge(r.state), className: 'aws-col-state' },
    { id: 'az', header: 'AZ', cell: (r) => r.availabilityZone ?? r.region, className: 'aws-col-az' },
    { id: 'launch', header: `Launched (${zone})`, cell: (r) => mono(formatTime(r.launchTime, zone)), title: (r) => (r.launchTime ? `${r.launchTime} (UTC)` : undefined), className: 'aws-col-time' },
    { id: 'ips', header: 'Private / public IP', cell: (r) => mono([r.privateIpAddress, r.publicIpAddress].filter(Boolean).join(' / ')), className: 'aws-col-ip' },
    {
      id: 'sgs',
      header: 'Security groups',
      cell: (r) => r.securityGroups.map((g) => g.groupName ?? g.groupId).join(', ') || dash,
      title: (r) => r.securityGroups.map((g) => `${g.groupId} ${g.groupName ?? ''}`).join('\n'),
      className: 'cell-name',
    },
    { id: 'profile', header: 'Instance profile', cell: (r) => r.iamInstanceProfileArn?.split('/').pop() ?? dash, title: (r) => r.iamInstanceProfileArn ?? undefined, className: 'cell-name' },
    { id: 'vols', header: 'Volumes', cell: (r) => r.volumes.length, title: (r) => r.volumes.map((v) => `${v.deviceName ?? ''} ${v.volumeId}`).join('\n'), className: 'num aws-col-n' },
  ];
}

/** Volume columns. */
export function volumeColumns(zone: string): Column<Regional<AwsVolumeSummary>>[] {
  return [
    { id: 'id', header: 'Volume', cell: (r) => mono(r.volumeId), className: 'aws-col-id' },
    { id: 'name', header: 'Name', cell: (r) => r.name ?? dash, title: (r) => tagsText(r.tags), className: 'cell-name' },
    { id: 'state', header: 'State', cell: (r) => stateBadge(r.state), className: 'aws-col-state' },
    { id: 'size', header: 'Size', cell: (r) => (r.sizeGiB === null ? dash : `${r.sizeGiB} GiB`), className: 'num aws-col-n' },
    { id: 'type', header: 'Type', cell: (r) => r.volumeType ?? dash, className: 'aws-col-state' },
    { id: 'az', header: 'AZ', cell: (r) => r.availabilityZone ?? r.region, className: 'aws-col-az' },
    { id: 'att', header: 'Attached to', cell: (r) => mono(r.attachments.map((a) => `${a.instanceId ?? '?'} ${a.device ?? ''}`).join(', ')), className: 'cell-name' },
    { id: 'enc', header: 'Encryption / KMS key', cell: (r) => encryption(r.encrypted, r.kmsKeyId), className: 'cell-name' },
    { id: 'created', header: `Created (${zone})`, cell: (r) => mono(formatTime(r.createTime, zone)), className: 'aws-col-time' },
  ];
}

/** Snapshot columns; `action` renders the Image button of a completed snapshot. */
export function snapshotColumns(zone: string, action: (r: Regional<AwsSnapshotSummary>) => ReactNode): Column<Regional<AwsSnapshotSummary>>[] {
  return [
    { id: 'id', header: 'Snapshot', cell: (r) => mono(r.snapshotId), className: 'aws-col-id' },
    { id: 'name', header: 'Name / description', cell: (r) => r.name ?? r.description ?? dash, title: (r) => [r.description, tagsText(r.tags)].filter(Boolean).join('\n'), className: 'cell-name' },
    { id: 'state', header: 'State', cell: (r) => (r.state === 'pending' ? <span className="badge badge-info">pending {r.progress}</span> : stateBadge(r.state)), className: 'aws-col-state' },
    { id: 'vol', header: 'Volume', cell: (r) => mono(r.volumeId), className: 'aws-col-id' },
    { id: 'size', header: 'Size', cell: (r) => (r.volumeSizeGiB === null ? dash : `${r.volumeSizeGiB} GiB`), className: 'num aws-col-n' },
    { id: 'enc', header: 'Encryption / KMS key', cell: (r) => encryption(r.encrypted, r.kmsKeyId), className: 'cell-name' },
    { id: 'start', header: `Started (${zone})`, cell: (r) => mono(formatTime(r.startTime, zone)), className: 'aws-col-time' },
    { id: 'act', header: '', cell: action, className: 'aws-col-act' },
  ];
}
