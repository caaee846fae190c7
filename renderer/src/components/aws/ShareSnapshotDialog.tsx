/**
 * Share a completed snapshot with a forensic account: explain (default-key refusal, KMS key policy), confirm the exact
 * change, then AWS's answer with the request id; a refusal offers the re-encrypted copy.
 */
import { useId, useState } from 'react';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import type { AwsShareResult } from '../../../../shared/contract-aws-share.js';
import type { CaseSummary } from '../../../../shared/types.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { TextField } from '../Field.js';
import { FormFooter } from '../FormFooter.js';
import { outcomeClass } from './aws-text.js';
import { encryptionWords, isAccountId, shareChanges, type HandoverTarget } from './handover-text.js';
import { IdText } from '../IdText.js';

interface Props {
  summary: CaseSummary;
  connection: AwsConnection;
  target: HandoverTarget;
  /** Accounts of the case's other connections: likely forensic accounts, offered as suggestions. */
  otherAccounts: string[];
  onClose: () => void;
  /** Opens the copy dialog for the snapshot AWS refused to share. */
  onCopyInstead: (t: HandoverTarget) => void;
}

const OUTCOME_TITLE: Record<AwsShareResult['outcome'], string> = {
  shared: 'Snapshot shared',
  already: 'Already shared',
  denied: 'Share denied',
  refused: 'AWS refused to share',
};

/** The dialog; nothing is sent before the examiner confirms. */
export function ShareSnapshotDialog({ summary, connection, target, otherAccounts, onClose, onCopyInstead }: Props) {
  const { api } = useBridge();
  const listId = useId();
  const [accountId, setAccountId] = useState(otherAccounts[0] ?? '');
  const [step, setStep] = useState<'choose' | 'confirm'>('choose');
  const [result, setResult] = useState<AwsShareResult | null>(null);
  const own = accountId.trim() === connection.account;
  const valid = isAccountId(accountId) && !own;

  const share = useSubmit(
    async () => {
      setResult(await unwrap(api.aws.snapshotShare({ caseId: summary.id, connectionId: connection.connectionId, region: target.region, snapshotId: target.snapshotId, accountId: accountId.trim(), confirm: true })));
    },
    { releaseOnSuccess: true },
  );

  if (result) {
    return (
      <Dialog title={OUTCOME_TITLE[result.outcome]} onClose={onClose} wide>
        <div className="form">
          <p>
            <span className={outcomeClass(result.outcome === 'shared' || result.outcome === 'already' ? 'done' : result.outcome === 'denied' ? 'denied' : 'failed')}>{result.outcome}</span>{' '}
            <span data-testid="aws-share-message">
              <IdText text={result.message} />
            </span>
          </p>
          {result.outcome === 'denied' && <p className="small">Nothing changed: the credentials lack {result.missingPermission ?? 'the permission'}.</p>}
          <p className="small">
            ModifySnapshotAttribute · request id <span className="mono" data-testid="aws-request-id">{result.requestId ?? '—'}</span>
            {result.errorCode && <> · AWS error {result.errorCode}</>}
          </p>
          <p className="small mono aws-wrap">
            create-volume permissions: {result.permissions.before.join(', ') || 'none'} → {result.permissions.after.join(', ') || 'none'}
          </p>
          {result.offer && (
            <div className="aws-actions">
              <p className="small">
                The way to hand this snapshot over: copy it re-encrypted with a customer managed KMS key whose policy grants account{' '}
                <span className="mono">{result.accountId}</span>, then share the copy. The copy is a new snapshot in this account; this one stays as it is.
              </p>
              <button type="button" className="primary" onClick={() => onCopyInstead({ ...target, snapshotId: result.offer!.sourceSnapshotId, region: result.offer!.sourceRegion })}>
                Copy re-encrypted…
              </button>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className={result.offer ? '' : 'primary'} onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={step === 'choose' ? `Share ${target.snapshotId}` : 'Confirm the share'} onClose={onClose} wide>
      {step === 'choose' ? (
        <form className="form" onSubmit={(e) => (e.preventDefault(), setStep('confirm'))}>
          <p className="small">
            Lets another AWS account, usually your forensic account, create volumes from <span className="mono">{target.snapshotId}</span> and copy
            it, by adding that account to the snapshot's create-volume permissions. That account can then read all of the data. The snapshot itself
            is not changed and stays in account <span className="mono">{connection.account}</span>. Needs <code>ec2:ModifySnapshotAttribute</code>
            (checked by DryRun first).
          </p>
          <p className="small">
            This snapshot is {encryptionWords(target)}.{' '}
            {target.encrypted && (
              <>
                AWS does not share snapshots encrypted with the AWS managed key <code>aws/ebs</code>: that key's policy belongs to AWS and cannot grant
                another account. Caseward cannot tell that key from a customer managed one without KMS, so it asks AWS; if AWS refuses, nothing changes
                and you can make a copy re-encrypted with a customer managed key and share the copy. With a customer managed key, the key's policy (or a
                grant) must allow the other account kms:DescribeKey, kms:CreateGrant, kms:Decrypt, kms:ReEncrypt* and kms:GenerateDataKey*; Caseward
                does not change key policies.
              </>
            )}
          </p>
          <TextField
            label="Forensic account id (12 digits)"
            value={accountId}
            onChange={(e) => setAccountId(e.target.value)}
            list={otherAccounts.length > 0 ? listId : undefined}
            inputMode="numeric"
            placeholder="444455556666"
            required
            hint={own ? 'That is this connection’s own account: share with another account.' : accountId.trim() && !isAccountId(accountId) ? 'An AWS account id has 12 digits.' : undefined}
          />
          {otherAccounts.length > 0 && (
            <datalist id={listId}>
              {otherAccounts.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          )}
          <FormFooter error={null} busy={false} label="Review…" busyLabel="" disabled={!valid} onCancel={onClose} />
        </form>
      ) : (
        <form className="form" onSubmit={(e) => void share.submit(e)}>
          <p>
            This changes account <span className="mono">{connection.account}</span>, as <span className="mono">{connection.arn}</span>:
          </p>
          <ol className="aws-changes">
            {shareChanges(target, accountId, connection.account).map((l) => (
              <li key={l}>
                <IdText text={l} />
              </li>
            ))}
          </ol>
          <p className="small">The call is tried with DryRun first; the share (or AWS's refusal) and its request id are recorded in custody.</p>
          <FormFooter error={share.error} busy={share.busy} label={`Share with ${accountId.trim()}`} busyLabel="Sharing…" onCancel={() => setStep('choose')} />
        </form>
      )}
    </Dialog>
  );
}
