/** Copy a completed snapshot re-encrypted under a chosen KMS key: explain, confirm the exact change, then show the copy, its job and request id. */
import { useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { CloseFooter, FormFooter } from '../FormFooter.js';
import { copyChanges, encryptionWords, isDefaultEbsAlias, isKmsKey, type HandoverTarget } from './handover-text.js';
import { requestIdOf } from './handover-custody.js';
import { IdText } from '../IdText.js';

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  target: HandoverTarget;
  onClose: () => void;
}

/** The dialog; nothing is sent before the examiner confirms the list of changes. */
export function CopySnapshotDialog({ summary, connection, target, onClose }: Props) {
  const { api } = useBridge();
  const [kmsKeyId, setKmsKeyId] = useState('');
  const [region, setRegion] = useState(connection.regions.includes(target.region) ? target.region : (connection.regions[0] ?? target.region));
  const [description, setDescription] = useState('');
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [done, setDone] = useState<{ jobId: string; snapshotId: string; requestId: string | null } | null>(null);
  const keyOk = isKmsKey(kmsKeyId) && !isDefaultEbsAlias(kmsKeyId);
  const choice = { kmsKeyId, region, description };

  const copy = useSubmit(
    async () => {
      const r = await unwrap(
        api.aws.snapshotCopy({
          caseId: summary.id,
          connectionId: connection.connectionId,
          region,
          sourceSnapshotId: target.snapshotId,
          sourceRegion: target.region,
          kmsKeyId: kmsKeyId.trim(),
          ...(description.trim() ? { description: description.trim() } : {}),
          confirm: true,
        }),
      );
      // The operation answers with the job; the request id is in the custody event it recorded.
      setDone({ ...r, requestId: await requestIdOf(api, summary.id, 'aws.snapshot-copy-started', r.snapshotId) });
    },
    { releaseOnSuccess: true },
  );

  if (done) {
    return (
      <Dialog title="Copy requested" onClose={onClose}>
        <div className="form">
          <p>
            AWS accepted the copy: <span className="mono" data-testid="aws-copy-id">{done.snapshotId}</span> in {region}, a copy of{' '}
            <span className="mono">{target.snapshotId}</span> encrypted with <span className="mono">{kmsKeyId.trim()}</span>.
          </p>
          <p className="small">
            CopySnapshot · request id <span className="mono" data-testid="aws-request-id">{done.requestId ?? '—'}</span>
          </p>
          <p className="small">
            A job waits until the copy is complete (Jobs drawer, and the acquisitions list of this tab); the copy then becomes an AWS snapshot
            reference in the Artifacts tab. Share or lock it from the acquisitions list once it is complete.
          </p>
          <CloseFooter onClose={onClose} />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={step === 'choose' ? `Copy ${target.snapshotId} re-encrypted` : 'Confirm the copy'} onClose={onClose} wide>
      {step === 'choose' ? (
        <form className="form" onSubmit={(e) => (e.preventDefault(), setStep('confirm'))}>
          <p className="small">
            Makes a new snapshot in account <span className="mono">{connection.account}</span> with the same content as{' '}
            <span className="mono">{target.snapshotId}</span> ({target.sizeGiB ?? '?'} GiB, {encryptionWords(target)}), encrypted with the KMS key
            you choose and tagged with the case. Use it to move a snapshot off the AWS managed key <code>aws/ebs</code> (which cannot be shared) to a
            customer managed key whose policy grants the forensic account, or, connected as the forensic account, to take its own copy of a
            snapshot shared with it.
          </p>
          <p className="small">
            A job waits until AWS has finished the copy; the copy then becomes an artifact of the case (a reference to the snapshot, no bytes).
            The source is not changed, and Caseward never deletes the copy. Needs <code>ec2:CopySnapshot</code> (checked by DryRun first) and use
            of both keys in KMS.
          </p>
          <TextField
            label="KMS key (key id, key ARN, alias/… or alias ARN)"
            value={kmsKeyId}
            onChange={(e) => setKmsKeyId(e.target.value)}
            placeholder="alias/forensic-evidence"
            required
            hint={
              isDefaultEbsAlias(kmsKeyId)
                ? 'alias/aws/ebs is the AWS managed key: a copy under it cannot be shared either. Choose a customer managed key.'
                : kmsKeyId.trim() && !keyOk
                  ? 'Not a KMS key id, key ARN, alias (alias/…) or alias ARN.'
                  : 'A customer managed key. For a copy to share, its key policy must allow the forensic account to use it.'
            }
          />
          <div className="field">
            <label htmlFor="aws-copy-region">Destination region</label>
            <select id="aws-copy-region" value={region} onChange={(e) => setRegion(e.target.value)}>
              {connection.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                  {r === target.region ? ' (same region)' : ''}
                </option>
              ))}
            </select>
            <p className="hint">The regions of this connection; connect with another region to copy there.</p>
          </div>
          <TextField label="Description (optional)" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} placeholder={`Caseward case ${summary.number}: copy of ${target.snapshotId} (${target.region})`} />
          <FormFooter error={null} busy={false} label="Review…" busyLabel="" disabled={!keyOk} onCancel={onClose} />
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void copy.submit(e)}>
          <p>
            This changes account <span className="mono">{connection.account}</span>, as <span className="mono">{connection.arn}</span>:
          </p>
          <ol className="aws-changes">
            {copyChanges(target, choice, connection.account, summary.number).map((l) => (
              <li key={l}>
                <IdText text={l} />
              </li>
            ))}
          </ol>
          <p className="small">The call is tried with DryRun first; the request and its AWS request id are recorded in custody.</p>
          <FormFooter error={copy.error} busy={copy.busy} label="Create the copy" busyLabel="Requesting…" onCancel={() => setStep('choose')} />
        </form>
      )}
    </Dialog>
  );
}
