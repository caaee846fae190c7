/** Everything AWS says about one instance, and the preservation and acquisition actions on it. */
import { useState } from 'react';
import type { AwsConnection, AwsInstanceDetail, AwsPreflight } from '../../../../shared/contract-aws.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { formatTimeWithZone } from '../../lib/format.js';
import { useQuery } from '../../lib/use-query.js';
import { useSubmit } from '../../lib/use-submit.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { vpcOf } from './aws-text.js';
import { ContextDialog } from './ContextDialog.js';
import { AttributesView, GroupsView, IamView, InterfacesView, TagsLine, VolumesView } from './InstanceSections.js';
import { PreflightView } from './PreflightView.js';
import { PreserveDialog } from './PreserveDialog.js';
import { RestoreGroupsDialog } from './RestoreGroupsDialog.js';
import { SnapshotDialog } from './SnapshotDialog.js';

type Open = 'preserve' | 'restore' | 'snapshot' | 'context' | null;

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  region: string;
  instanceId: string;
  onBack: () => void;
}

/** The panel; the instance is read once when it opens (recorded in custody) and again on Refresh. */
export function InstanceDetail({ summary, connection, region, instanceId, onBack }: Props) {
  const { api } = useBridge();
  const caseId = summary.id;
  const zone = summary.timeZone;
  const ref = { caseId, connectionId: connection.connectionId, region, instanceId };
  const detail = useQuery(() => api.aws.instance(ref), [caseId, connection.connectionId, region, instanceId]);
  const [preflight, setPreflight] = useState<AwsPreflight | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const check = useSubmit(
    async () => setPreflight(await unwrap(api.aws.preflight({ ...ref, actions: ['tag', 'protect', 'snapshot', 'isolate'] }))),
    { releaseOnSuccess: true },
  );
  const d = detail.data;

  return (
    <section className="detail-panel aws-instance" aria-labelledby="aws-instance-title">
      <div className="detail-head">
        <h2 id="aws-instance-title">
          {d?.summary.name ?? instanceId} <span className="mono muted">{instanceId}</span>
        </h2>
        <div className="toolbar">
          <button type="button" onClick={detail.reload} disabled={detail.loading}>
            Refresh
          </button>
          <button type="button" onClick={onBack}>
            Back to the list
          </button>
        </div>
      </div>
      <ErrorMessage error={detail.error} />
      {!d && detail.loading && <p className="muted">Reading the instance from AWS…</p>}
      {d && <Overview d={d} zone={zone} />}
      {d && (
        <div className="aws-actions">
          <div className="toolbar">
            <button type="button" className={preflight ? '' : 'primary'} onClick={() => void check.submit()} disabled={check.busy}>
              {check.busy ? 'Checking…' : preflight ? 'Check permissions again' : 'Check permissions'}
            </button>
            <span className="toolbar-sep" />
            <button type="button" disabled={!preflight} onClick={() => setOpen('preserve')}>
              Preserve…
            </button>
            <button type="button" disabled={!preflight} onClick={() => setOpen('restore')}>
              Restore groups…
            </button>
            <button type="button" disabled={!preflight} onClick={() => setOpen('snapshot')}>
              Snapshot…
            </button>
            <button type="button" onClick={() => setOpen('context')}>
              Capture context…
            </button>
          </div>
          {!preflight && <p className="hint">Check permissions first: it shows, without changing anything, which actions these credentials may take.</p>}
          <ErrorMessage error={check.error} />
          {preflight && <PreflightView preflight={preflight} />}
        </div>
      )}
      {d && (
        <>
          <AttributesView detail={d} />
          <VolumesView detail={d} zone={zone} />
          <GroupsView detail={d} />
          <InterfacesView detail={d} />
          <IamView detail={d} />
          <details className="disclosure">
            <summary>DescribeInstances record</summary>
            <pre className="json">{JSON.stringify(d.describe, null, 2)}</pre>
          </details>
          <p className="small muted">
            Read with request ids <span className="mono">{d.requestIds.join(', ')}</span>; recorded in custody as aws.instance.described.
          </p>
        </>
      )}
      {d && open === 'preserve' && <PreserveDialog summary={summary} connection={connection} detail={d} preflight={preflight} onClose={() => setOpen(null)} onDone={detail.reload} />}
      {d && open === 'restore' && <RestoreGroupsDialog caseId={caseId} connection={connection} detail={d} onClose={() => setOpen(null)} onDone={detail.reload} />}
      {d && open === 'snapshot' && <SnapshotDialog summary={summary} connection={connection} detail={d} preflight={preflight} onClose={() => setOpen(null)} />}
      {d && open === 'context' && <ContextDialog caseId={caseId} connection={connection} detail={d} onClose={() => setOpen(null)} />}
    </section>
  );
}

function Overview({ d, zone }: { d: AwsInstanceDetail; zone: string }) {
  const s = d.summary;
  return (
    <dl className="kv compact aws-overview">
      <dt>State</dt>
      <dd>
        {s.state ?? '—'} · {s.instanceType ?? '—'} · {s.availabilityZone ?? d.region}
      </dd>
      <dt>Launched</dt>
      <dd>{formatTimeWithZone(s.launchTime, zone)}</dd>
      <dt>Addresses</dt>
      <dd className="mono">
        {s.privateIpAddress ?? '—'} private · {s.publicIpAddress ?? 'no public IP'}
      </dd>
      <dt>VPC / subnet</dt>
      <dd className="mono">
        {vpcOf(d) ?? '—'} / {String(d.describe.SubnetId ?? '—')}
      </dd>
      <dt>Security groups</dt>
      <dd className="mono">{s.securityGroups.map((g) => `${g.groupId} (${g.groupName ?? '?'})`).join(', ') || '—'}</dd>
      <dt>Instance profile</dt>
      <dd className="mono aws-wrap">{s.iamInstanceProfileArn ?? 'none'}</dd>
      <dt>Image / key pair</dt>
      <dd className="mono">
        {String(d.describe.ImageId ?? '—')} / {String(d.describe.KeyName ?? '—')}
      </dd>
      <dt>Tags</dt>
      <dd>
        <TagsLine detail={d} />
      </dd>
    </dl>
  );
}
