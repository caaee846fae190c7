/** Undo an isolation: put back the security groups custody recorded before it, after the examiner confirms. */
import { useState } from 'react';
import type { AwsConnection, AwsInstanceDetail } from '../../../../shared/contract-aws.js';
import type { AwsRestoreGroupsResult } from '../../../../shared/contract-aws-preserve.js';
import { unwrap, useBridge } from '../../lib/bridge-context.js';
import { useSubmit } from '../../lib/use-submit.js';
import { Dialog } from '../Dialog.js';
import { CloseFooter, FormFooter } from '../FormFooter.js';

interface Props {
  caseId: string;
  connection: AwsConnection;
  detail: AwsInstanceDetail;
  onClose: () => void;
  onDone: () => void;
}

/** The dialog: what will change, then the restored groups and request ids. */
export function RestoreGroupsDialog({ caseId, connection, detail, onClose, onDone }: Props) {
  const { api } = useBridge();
  const [result, setResult] = useState<AwsRestoreGroupsResult | null>(null);
  const { submit, busy, error } = useSubmit(
    async () => {
      setResult(await unwrap(api.aws.restoreGroups({ caseId, connectionId: connection.connectionId, region: detail.region, instanceId: detail.instanceId, confirm: true })));
      onDone();
    },
    { releaseOnSuccess: true },
  );
  const current = detail.summary.securityGroups.map((g) => g.groupId).join(', ') || 'none';

  return (
    <Dialog title="Restore security groups" onClose={onClose} wide>
      {result ? (
        <div className="form">
          {result.outcome === 'denied' ? (
            <p className="error-text">Nothing changed: the credentials lack {result.missingPermission ?? 'the permission'}.</p>
          ) : (
            <ul className="aws-outcomes">
              {result.restored.map((r) => (
                <li key={r.networkInterfaceId} className="mono">
                  {r.networkInterfaceId}: {r.before.join(', ')} → {r.after.join(', ')}
                </li>
              ))}
            </ul>
          )}
          <p className="small">
            Request ids <span className="mono" data-testid="aws-request-id">{result.requestIds.join(', ') || '—'}</span>; recorded in custody.
          </p>
          <CloseFooter onClose={onClose} />
        </div>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <p>
            The network interfaces of <span className="mono">{detail.instanceId}</span> get back the security groups recorded in the custody log
            by the last isolation (they now have <span className="mono">{current}</span>). This lets traffic reach the instance again. The call
            is tried with DryRun first and recorded in custody with its request id.
          </p>
          <FormFooter error={error} busy={busy} label="Restore the groups" busyLabel="Restoring…" onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
