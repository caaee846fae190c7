/** Snapshot an instance's volumes (CreateSnapshots): choose volumes, confirm, then follow the job in the drawer. */
import { useState } from 'react';
import type { AwsConnection, AwsInstanceDetail, AwsPreflight } from '../../../../shared/contract-aws.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { CloseFooter, FormFooter } from '../FormFooter.js';

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  detail: AwsInstanceDetail;
  preflight: AwsPreflight | null;
  onClose: () => void;
}

/** The dialog; the snapshot ids and job are shown once AWS has accepted the request. */
export function SnapshotDialog({ summary, connection, detail, preflight, onClose }: Props) {
  const { api } = useBridge();
  const vols = detail.summary.volumes;
  const sizes = new Map((detail.volumes.ok ? detail.volumes.value : []).map((v) => [v.volumeId, v]));
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(vols.map((v) => v.volumeId)));
  const [description, setDescription] = useState(`Caseward ${summary.number}: ${detail.instanceId}`);
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [created, setCreated] = useState<{ jobId: string; snapshotIds: string[] } | null>(null);
  const denied = preflight?.results.find((r) => r.action === 'snapshot')?.outcome === 'denied';
  const list = vols.filter((v) => chosen.has(v.volumeId));

  const toggle = (id: string): void =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const create = useSubmit(
    async () => {
      const all = list.length === vols.length;
      setCreated(
        await unwrap(
          api.aws.snapshot({
            caseId: summary.id,
            connectionId: connection.connectionId,
            region: detail.region,
            instanceId: detail.instanceId,
            ...(all ? {} : { volumeIds: list.map((v) => v.volumeId) }),
            ...(description.trim() ? { description: description.trim() } : {}),
            confirm: true,
          }),
        ),
      );
    },
    { releaseOnSuccess: true },
  );

  const volumeLine = (v: (typeof vols)[number]) => {
    const info = sizes.get(v.volumeId);
    return `${v.volumeId} (${v.deviceName ?? '?'}${info?.sizeGiB ? `, ${info.sizeGiB} GiB` : ''}${info ? (info.encrypted ? ', encrypted' : ', not encrypted') : ''})`;
  };

  if (created) {
    return (
      <Dialog title="Snapshots requested" onClose={onClose}>
        <div className="form">
          <p>
            AWS accepted the request. Snapshots <span className="mono">{created.snapshotIds.join(', ')}</span> are being created; the job in the
            Jobs drawer follows their progress. When they are complete, image them from the AWS tab's acquisitions list.
          </p>
          <CloseFooter onClose={onClose} />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={step === 'choose' ? 'Snapshot volumes' : 'Confirm snapshots'} onClose={onClose} wide>
      {step === 'choose' ? (
        <form className="form" onSubmit={(e) => (e.preventDefault(), setStep('confirm'))}>
          <p className="small">
            One crash-consistent, instance-level request (CreateSnapshots) for the chosen volumes, tagged with the case number. Snapshots stay in
            the account; Caseward never deletes them.
          </p>
          {denied && <p className="error-text small">The permission check said CreateSnapshots will be denied.</p>}
          <fieldset className="choice-group">
            <legend>
              Volumes of {detail.instanceId} ({chosen.size} of {vols.length} chosen)
            </legend>
            {vols.map((v) => (
              <label key={v.volumeId} className="choice">
                <input type="checkbox" checked={chosen.has(v.volumeId)} onChange={() => toggle(v.volumeId)} />
                <span className="mono">{volumeLine(v)}</span>
              </label>
            ))}
          </fieldset>
          <TextField label="Description" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} />
          <FormFooter error={null} busy={false} label="Review…" busyLabel="" disabled={list.length === 0} onCancel={onClose} />
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void create.submit(e)}>
          <p>
            This creates {list.length} EBS snapshot{list.length === 1 ? '' : 's'} in account <span className="mono">{connection.account}</span>, region{' '}
            {detail.region}, tagged CasewardCase={summary.number} and CasewardEvidence=true:
          </p>
          <ul className="aws-changes mono">
            {list.map((v) => (
              <li key={v.volumeId}>{volumeLine(v)}</li>
            ))}
          </ul>
          <p className="small">The request and its AWS request id are recorded in custody; a job waits until the snapshots are complete.</p>
          <FormFooter error={create.error} busy={create.busy} label={`Create ${list.length} snapshot${list.length === 1 ? '' : 's'}`} busyLabel="Requesting…" onCancel={() => setStep('choose')} />
        </form>
      )}
    </Dialog>
  );
}
